package dev.eventsourcery.eventstore.storage;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.ExpectedVersionUsedOnVersionlessStreamException;
import dev.eventsourcery.eventstore.InvalidSnapshotException;
import dev.eventsourcery.eventstore.NoExpectedVersionGivenOnVersionedStreamException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;

/**
 * What a backend knows of a stream when a write arrives, and the versioning rules applied to it. A
 * backend reads the state (atomically with its write: under a lock, or followed by a compare-and-set
 * on the version it read), asks {@link #admit} for the version to append after, and writes.
 *
 * @param exists whether the stream exists
 * @param versioned whether it is versioned (meaningless when it does not exist)
 * @param version its current version: the version of its last event; {@code 0} when it does not exist
 *     or is versionless
 */
public record StreamState(boolean exists, boolean versioned, long version) {

    private static final StreamState ABSENT = new StreamState(false, false, 0);
    private static final StreamState VERSIONLESS = new StreamState(true, false, 0);

    /** A stream that does not exist. */
    public static StreamState absent() {
        return ABSENT;
    }

    /** A versionless stream. */
    public static StreamState versionless() {
        return VERSIONLESS;
    }

    /** A versioned stream at the given version. */
    public static StreamState versionedAt(long version) {
        return new StreamState(true, true, version);
    }

    /**
     * Applies an append's versioning rule to this state.
     *
     * @return the version the appended events follow ({@code 0} for a new or versionless stream); the
     *     i-th event (0-based) of a versioned append gets {@code admitted + i + 1}
     * @throws ConcurrentStreamWriteException when an expected version does not match
     * @throws NoExpectedVersionGivenOnVersionedStreamException for {@code NO_VERSIONING} on a versioned stream
     * @throws ExpectedVersionUsedOnVersionlessStreamException for a versioned append on a versionless stream
     */
    public long admit(Versioning versioning, TenantId tenantId, StreamId streamId) {
        if (versioning instanceof Versioning.NoVersioning) {
            if (exists && versioned) {
                throw new NoExpectedVersionGivenOnVersionedStreamException(streamId, tenantId);
            }
            return 0;
        }
        if (exists && !versioned) {
            throw new ExpectedVersionUsedOnVersionlessStreamException(streamId, tenantId, versioning);
        }
        if (versioning instanceof Versioning.Expected expected && expected.version() != version) {
            throw new ConcurrentStreamWriteException("Stream " + streamId + " in " + tenantId + " is at version "
                    + version + (exists ? "" : " (it does not exist)") + ", the append expected " + expected.version());
        }
        return version;
    }

    /** Whether appends admitted on this state under {@code versioning} store versions. */
    public static boolean storesVersions(Versioning versioning) {
        return !(versioning instanceof Versioning.NoVersioning);
    }

    /**
     * Checks that a snapshot at {@code snapshotVersion} may be stored for this stream.
     *
     * @throws InvalidSnapshotException when the stream does not exist or is versionless, or the version is
     *     not between 1 and the stream's current version
     */
    public void admitSnapshot(long snapshotVersion, TenantId tenantId, StreamId streamId) {
        if (!exists) {
            throw new InvalidSnapshotException("Cannot snapshot stream " + streamId + " in " + tenantId
                    + ": it does not exist");
        }
        if (!versioned) {
            throw new InvalidSnapshotException("Cannot snapshot stream " + streamId + " in " + tenantId
                    + ": it is versionless");
        }
        if (snapshotVersion < 1 || snapshotVersion > version) {
            throw new InvalidSnapshotException("Snapshot version " + snapshotVersion + " of stream " + streamId
                    + " in " + tenantId + " must be between 1 and the stream's version " + version);
        }
    }
}

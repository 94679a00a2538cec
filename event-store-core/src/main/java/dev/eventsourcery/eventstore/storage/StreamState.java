package dev.eventsourcery.eventstore.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.DuplicateEventException;
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
 * <h2>Idempotent retry</h2>
 * An append whose acknowledgement was lost (a timeout, a dropped connection during commit) is safe to
 * send again unchanged: same events (same ids), same expected version. The stream has moved on, so the
 * retry conflicts; before reporting the conflict,
 * {@link #admit(Versioning, TenantId, StreamId, List, StoredVersions)} asks the backend where the retried
 * event ids are stored in this stream. When every one of them is stored at exactly the version the
 * append gave it, the retry succeeds without writing anything ({@link Admission#ALREADY_STORED}); when
 * only some are, or at other versions, it is refused with {@link DuplicateEventException}. Only appends
 * with an expected version are recognised as retries: with {@link Versioning#ANY} or
 * {@link Versioning#NO_VERSIONING} nothing tells a retry from a new append, and re-sent event ids are
 * refused as duplicates. The lookup runs only on that refusal path, so an accepted append costs nothing
 * more.
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

    /**
     * Applies an append's versioning rule to this state and recognises a retry of an append that is already
     * stored (see the class documentation).
     *
     * @param events the events of the append, in order
     * @param stored where events of this stream are stored; asked only when an expected version conflicts
     * @return {@link Admission.Append} with the version the events follow, or {@link Admission#ALREADY_STORED}
     * @throws ConcurrentStreamWriteException when an expected version does not match and none of the events
     *     is stored in this stream
     * @throws DuplicateEventException when an expected version does not match and some of the events are
     *     stored in this stream, but not all of them at the versions this append gives them
     * @throws NoExpectedVersionGivenOnVersionedStreamException for {@code NO_VERSIONING} on a versioned stream
     * @throws ExpectedVersionUsedOnVersionlessStreamException for a versioned append on a versionless stream
     */
    public Admission admit(Versioning versioning, TenantId tenantId, StreamId streamId, List<EventRecord> events,
            StoredVersions stored) {
        try {
            return new Admission.Append(admit(versioning, tenantId, streamId));
        } catch (ConcurrentStreamWriteException conflict) {
            return recogniseRetry((Versioning.Expected) versioning, tenantId, streamId, events, stored, conflict);
        }
    }

    /**
     * Decides about an append with an expected version that a backend found in conflict with the stream
     * by other means (a compare-and-set that changed nothing): a retry of a stored append is
     * {@link Admission#ALREADY_STORED}, anything else is refused.
     *
     * @throws ConcurrentStreamWriteException {@code conflict}, when none of the events is stored in this stream
     * @throws DuplicateEventException when some of the events are stored in this stream, but not all of them
     *     at the versions this append gives them
     */
    public static Admission recogniseRetry(Versioning.Expected versioning, TenantId tenantId, StreamId streamId,
            List<EventRecord> events, StoredVersions stored, ConcurrentStreamWriteException conflict) {
        List<UUID> ids = new ArrayList<>(events.size());
        for (EventRecord event : events) {
            ids.add(event.uuid());
        }
        Map<UUID, Long> found = stored.versionsOf(ids);
        if (found.isEmpty()) {
            throw conflict;
        }
        boolean sameAppend = found.size() == ids.size();
        Map<UUID, Long> inOrder = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Long version = found.get(ids.get(i));
            if (version != null) {
                inOrder.put(ids.get(i), version);
            }
            sameAppend &= Objects.equals(version, versioning.version() + i + 1);
        }
        if (sameAppend) {
            return Admission.ALREADY_STORED;
        }
        throw new DuplicateEventException("Events of this append to stream " + streamId + " in " + tenantId
                + " are already stored in it (event id=version: " + inOrder + "), but the append is not a retry of "
                + "the stored one: a retry must resend exactly the stored events with the expected version "
                + versioning.version() + " they were appended with; nothing was written", conflict);
    }

    /** Where events of one stream are stored: what a backend answers when a conflicting append may be a retry. */
    @FunctionalInterface
    public interface StoredVersions {

        /**
         * The versions of those of the given events that are stored in the stream (others are left out).
         *
         * @param eventIds ids of the appended events
         * @return stored event id → its version in the stream
         */
        Map<UUID, Long> versionsOf(Collection<UUID> eventIds);
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
                    + " at version " + snapshotVersion + ": it does not exist");
        }
        if (!versioned) {
            throw new InvalidSnapshotException("Cannot snapshot stream " + streamId + " in " + tenantId
                    + " at version " + snapshotVersion + ": it is versionless");
        }
        if (snapshotVersion < 1 || snapshotVersion > version) {
            throw new InvalidSnapshotException("Snapshot version " + snapshotVersion + " of stream " + streamId
                    + " in " + tenantId + " must be between 1 and the stream's version " + version);
        }
    }
}

package dev.eventsourcery.eventstore.storage;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;

/**
 * What the versioning rules decided about an append, see
 * {@link StreamState#admit(Versioning, TenantId, StreamId, java.util.List, StreamState.StoredVersions)}: write the events
 * after a version, or write nothing because the very same append is already stored.
 */
public sealed interface Admission permits Admission.Append, Admission.AlreadyStored {

    /** Nothing to write: the append is a retry of one already stored, after a lost acknowledgement. */
    Admission ALREADY_STORED = new AlreadyStored();

    /**
     * Store the events after {@code base}: the i-th event (0-based) of a versioned append gets version
     * {@code base + i + 1}.
     *
     * @param base the version the appended events follow; {@code 0} for a new or versionless stream
     */
    record Append(long base) implements Admission {
    }

    /** See {@link Admission#ALREADY_STORED}. */
    record AlreadyStored() implements Admission {
    }
}

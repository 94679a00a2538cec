package dev.eventsourcery.eventstore;

/** {@link Versioning#NO_VERSIONING} was used on a versioned stream. Nothing was written. */
public class NoExpectedVersionGivenOnVersionedStreamException extends VersioningMismatchException {

    private static final long serialVersionUID = 1L;

    /** A mismatch on the given stream. */
    public NoExpectedVersionGivenOnVersionedStreamException(StreamId streamId, TenantId tenantId) {
        super("Stream " + streamId + " in " + tenantId + " is versioned; append to it with an expected version or "
                + "Versioning.ANY, not Versioning.NO_VERSIONING");
    }
}

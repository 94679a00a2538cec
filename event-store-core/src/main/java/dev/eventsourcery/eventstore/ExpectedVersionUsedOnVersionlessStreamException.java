package dev.eventsourcery.eventstore;

/**
 * An expected version or {@link Versioning#ANY} was used on a versionless stream. Nothing was written.
 */
public class ExpectedVersionUsedOnVersionlessStreamException extends VersioningMismatchException {

    private static final long serialVersionUID = 1L;

    /** A mismatch on the given stream. */
    public ExpectedVersionUsedOnVersionlessStreamException(StreamId streamId, TenantId tenantId, Versioning versioning) {
        super("Stream " + streamId + " in " + tenantId + " is versionless; append to it with "
                + "Versioning.NO_VERSIONING, not " + versioning);
    }
}

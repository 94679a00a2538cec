package dev.eventsourcery.eventstore;

/**
 * A snapshot cannot be stored: its stream does not exist or is versionless, or its version is not
 * between 1 and the stream's current version. Nothing was written.
 */
public class InvalidSnapshotException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** A refused snapshot, described by a message. */
    public InvalidSnapshotException(String message) {
        super(message);
    }
}

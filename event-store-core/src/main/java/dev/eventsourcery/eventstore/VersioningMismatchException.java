package dev.eventsourcery.eventstore;

/**
 * An append's {@link Versioning} does not fit the stream: a stream is versioned or versionless for
 * life, as its first append made it. Nothing was written.
 */
public abstract class VersioningMismatchException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** A mismatch described by a message. */
    protected VersioningMismatchException(String message) {
        super(message);
    }
}

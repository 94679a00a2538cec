package dev.eventsourcery.eventstore;

import org.jspecify.annotations.Nullable;

/**
 * An append expected a stream version the stream no longer (or not yet) has, or lost a race with
 * another writer of the same stream. Nothing was written; reload the stream and decide again.
 */
public class ConcurrentStreamWriteException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** A conflict described by a message. */
    public ConcurrentStreamWriteException(String message) {
        super(message);
    }

    /** A conflict described by a message, detected by the database. */
    public ConcurrentStreamWriteException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

package dev.eventsourcery.eventstore;

import org.jspecify.annotations.Nullable;

/** Base of every failure the event store signals (other than misuse of arguments). */
public class EventStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message. */
    public EventStoreException(String message) {
        super(message);
    }

    /** A failure with a message and the underlying cause. */
    public EventStoreException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

package dev.eventsourcery.eventstore;

import org.jspecify.annotations.Nullable;

/** An append carried an event id that is already stored (or twice in one batch). Nothing was written. */
public class DuplicateEventException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** A duplicate described by a message. */
    public DuplicateEventException(String message) {
        super(message);
    }

    /** A duplicate described by a message, detected by the database. */
    public DuplicateEventException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

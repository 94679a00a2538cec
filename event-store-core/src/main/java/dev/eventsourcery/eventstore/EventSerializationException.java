package dev.eventsourcery.eventstore;

import org.jspecify.annotations.Nullable;

/** An event or context could not be written as JSON or read back from it. Nothing was written. */
public class EventSerializationException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** A serialization failure, described by a message that names the type. */
    public EventSerializationException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

package dev.eventsourcery.eventstore.spring.outbox;

import org.jspecify.annotations.Nullable;

/**
 * A broker did not take every message of a batch: it refused one, could not route one, was unreachable, or did
 * not confirm them in time. The outbox keeps its checkpoint before the batch and publishes it again after a
 * back-off.
 */
public class OutboxPublishException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by its message. */
    public OutboxPublishException(String message) {
        super(message);
    }

    /** A failure described by its message, caused by another. */
    public OutboxPublishException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

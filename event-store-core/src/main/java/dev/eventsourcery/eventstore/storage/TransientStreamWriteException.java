package dev.eventsourcery.eventstore.storage;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;

/**
 * A write that the database gave up on before anything was written, because of another writer's locks
 * rather than the stream's version: a deadlock, a lock wait time-out or a serialization failure. The
 * stream's version was never compared, so running the same call again may well succeed; a backend runs
 * a write of its own transaction again before reporting one.
 *
 * <p>It is a {@link ConcurrentStreamWriteException} to the application; the store keeps it apart from a
 * version that did not match where that difference changes the answer (an append with
 * {@code Versioning.ANY} whose events carry versions: a mismatch there is a wrong carried version, a
 * transient conflict is not).
 */
public class TransientStreamWriteException extends ConcurrentStreamWriteException {

    private static final long serialVersionUID = 1L;

    /** A transient conflict the database reported. */
    public TransientStreamWriteException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

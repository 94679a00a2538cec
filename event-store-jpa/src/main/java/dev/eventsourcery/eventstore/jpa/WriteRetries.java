package dev.eventsourcery.eventstore.jpa;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.storage.TransientStreamWriteException;

/**
 * When a write is run again: only when it ran in a transaction of its own, and only after a transient
 * conflict (a deadlock, lock timeout or serialization failure, which the database reports before
 * comparing anything), up to {@value #MAX_ATTEMPTS} times with a short random back-off. A caller's
 * transaction is never retried: the database has rolled it back, and the caller's own writes are in it.
 * A conflict with an expected version, and every other failure, is final.
 */
final class WriteRetries {

    /** Runs of a write in its own transaction before a transient conflict is reported. */
    static final int MAX_ATTEMPTS = 10;

    private WriteRetries() {
    }

    static <T> T run(boolean inCallerTransaction, Supplier<T> write) {
        int attempts = inCallerTransaction ? 1 : MAX_ATTEMPTS;
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (TransientStreamWriteException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConcurrentStreamWriteException("Interrupted while waiting to run a write again", e);
        }
    }
}

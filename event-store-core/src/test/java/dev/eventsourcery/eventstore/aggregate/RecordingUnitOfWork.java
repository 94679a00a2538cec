package dev.eventsourcery.eventstore.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A unit of work that counts its attempts, may refuse retries, and keeps after-commit actions until
 * {@link #commit()}, like a transaction that has not committed yet.
 */
final class RecordingUnitOfWork implements UnitOfWork {

    final AtomicInteger attempts = new AtomicInteger();
    private final boolean canRetry;
    private final List<Runnable> afterCommit = new ArrayList<>();

    RecordingUnitOfWork(boolean canRetry) {
        this.canRetry = canRetry;
    }

    @Override
    public boolean canRetry() {
        return canRetry;
    }

    @Override
    public <T> T run(Supplier<T> attempt) {
        attempts.incrementAndGet();
        return attempt.get();
    }

    @Override
    public synchronized void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    synchronized int pending() {
        return afterCommit.size();
    }

    /** Runs the actions kept so far. */
    synchronized void commit() {
        afterCommit.forEach(Runnable::run);
        afterCommit.clear();
    }
}

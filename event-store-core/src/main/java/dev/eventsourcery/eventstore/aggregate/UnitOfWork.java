package dev.eventsourcery.eventstore.aggregate;

import java.util.function.Supplier;

/**
 * Where each attempt of a command runs. The core default, {@link #direct()}, runs attempts as they are and may
 * always retry; the Spring Boot starter's runs each attempt in a transaction of its own when the caller has none,
 * and joins the caller's transaction otherwise, where it refuses to retry (the conflict then reaches the caller,
 * whose transaction holds the failed attempt's work and must roll back).
 */
public interface UnitOfWork {

    /** Whether an attempt that lost a race with another writer may be run again here, now. */
    boolean canRetry();

    /**
     * Runs one attempt of a command: load, decide, append and the registration of its snapshot.
     *
     * @return what the attempt returned
     */
    <T> T run(Supplier<T> attempt);

    /**
     * Runs {@code action} once the current attempt's append is committed: at once when nothing is left to
     * commit, never when it is rolled back. A failure of the action is logged, not thrown: the attempt that
     * registered it has succeeded.
     */
    void afterCommit(Runnable action);

    /**
     * Runs attempts as they are, with nothing to commit: an attempt's append is done when the store returns
     * (in a transaction of the store's own, or in the caller's when the store joins one), and after-commit
     * actions run at once. Attempts may always be retried.
     */
    static UnitOfWork direct() {
        return DirectUnitOfWork.INSTANCE;
    }
}

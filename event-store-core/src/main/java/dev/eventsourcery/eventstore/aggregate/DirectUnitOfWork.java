package dev.eventsourcery.eventstore.aggregate;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/** The {@link UnitOfWork#direct()} unit of work: attempts run as they are, after-commit actions at once. */
final class DirectUnitOfWork implements UnitOfWork {

    static final DirectUnitOfWork INSTANCE = new DirectUnitOfWork();

    private static final System.Logger LOGGER = System.getLogger(UnitOfWork.class.getName());

    private DirectUnitOfWork() {
    }

    @Override
    public boolean canRetry() {
        return true;
    }

    @Override
    public <T> T run(Supplier<T> attempt) {
        return attempt.get();
    }

    @Override
    public void afterCommit(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "An action after a command's append failed; the command succeeded", e);
        }
    }

    @Override
    public String toString() {
        return "UnitOfWork.direct()";
    }
}

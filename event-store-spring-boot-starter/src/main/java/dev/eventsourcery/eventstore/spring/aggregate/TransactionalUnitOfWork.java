package dev.eventsourcery.eventstore.spring.aggregate;

import java.util.Objects;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.aggregate.UnitOfWork;

/**
 * Runs a command's attempts in the transactions of a {@link PlatformTransactionManager}, the one whose
 * transactions the event store joins.
 * <ul>
 * <li><b>Without a caller's transaction</b>, each attempt — load, decide, append — runs in a transaction of its
 * own, and an attempt that lost a race with another writer is rolled back and may be retried.</li>
 * <li><b>Inside a caller's transaction</b> (a {@code @Transactional} method, a {@code TransactionTemplate}) of
 * this manager, the attempt joins it and is not retried: the conflict reaches the caller, and its transaction
 * rolls back with everything else it wrote (the JPA store marks it rollback-only: its statement failed in it).
 * A command's own exception (a refusal, an aggregate that does not exist) leaves the caller's transaction as
 * it was.</li>
 * <li><b>After commit</b>: with transaction synchronization active, an action (the snapshot) runs after the
 * transaction commits, in a new transaction ({@code PROPAGATION_REQUIRES_NEW}: the committed one's resources
 * are still bound then and cannot take new work), and never when it rolls back; otherwise it runs at once. A
 * failing action is logged as a warning, never thrown: the command has committed.</li>
 * </ul>
 */
public final class TransactionalUnitOfWork implements UnitOfWork {

    private static final Log logger = LogFactory.getLog(TransactionalUnitOfWork.class);

    private final PlatformTransactionManager transactionManager;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate newTransaction;

    /** Attempts in the transactions of {@code transactionManager}. */
    public TransactionalUnitOfWork(PlatformTransactionManager transactionManager) {
        this.transactionManager = Objects.requireNonNull(transactionManager, "transactionManager");
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.newTransaction = new TransactionTemplate(transactionManager);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Whether no caller's transaction of this manager is open: then a failed attempt was rolled back alone. */
    @Override
    public boolean canRetry() {
        return !inCallerTransaction();
    }

    /** Runs the attempt in a transaction of its own, or in the caller's transaction of this manager. */
    @Override
    public <T> T run(Supplier<T> attempt) {
        if (inCallerTransaction()) {
            // the store's statements join the caller's transaction by themselves
            return attempt.get();
        }
        return ownTransaction.execute(status -> attempt.get());
    }

    /**
     * Runs the action after the current transaction commits, in a new transaction; at once when no
     * transaction synchronization is active. Failures are logged, not thrown.
     */
    @Override
    public void afterCommit(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            runLogged(action);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                runLogged(() -> newTransaction.executeWithoutResult(status -> action.run()));
            }
        });
    }

    private static void runLogged(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            logger.warn("An action after a command's commit failed; the command's events are committed", e);
        }
    }

    /**
     * Whether a transaction of this manager is open on this thread, which the store's statements join: a
     * transaction of another manager (another database's) is none of the store's.
     */
    private boolean inCallerTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return false;
        }
        return !(transactionManager instanceof ResourceTransactionManager resources)
                || TransactionSynchronizationManager.hasResource(resources.getResourceFactory());
    }

    @Override
    public String toString() {
        return "TransactionalUnitOfWork[" + transactionManager.getClass().getSimpleName() + "]";
    }
}

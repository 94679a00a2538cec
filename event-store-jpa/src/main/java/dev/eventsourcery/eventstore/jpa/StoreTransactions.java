package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How a store call joins the caller's transaction, or runs in one of its own: with propagation
 * {@code REQUIRED}, as a {@code @Transactional} method would, its statements go to the JDBC connection
 * that the transaction manager bound to the store's {@link DataSource}. That is the connection of the
 * caller's JPA {@code EntityManager} under a {@link JpaTransactionManager} (without flushing the caller's
 * persistence context), or of its JDBC work under a {@link DataSourceTransactionManager}, so events commit
 * and roll back with the caller's writes either way.
 *
 * <p>A transaction manager that binds no connection of that {@code DataSource} (one for another database,
 * a {@code JpaTransactionManager} without a {@code DataSource}, JTA) would leave the statements outside
 * the transaction; it is refused when the store is built, and a call that finds no bound connection fails
 * before any statement.
 */
final class StoreTransactions {

    /** Statements run on the transaction's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final PlatformTransactionManager manager;
    private final TransactionTemplate writing;
    private final TransactionTemplate reading;

    StoreTransactions(DataSource dataSource, PlatformTransactionManager manager) {
        String refusal = whyCannotJoin(manager, dataSource);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        this.dataSource = dataSource;
        this.manager = manager;
        this.writing = new TransactionTemplate(manager);
        this.writing.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.reading = new TransactionTemplate(manager);
        this.reading.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.reading.setReadOnly(true);
    }

    /**
     * Why a transaction manager cannot run the store's statements in its transactions, or {@code null} when it
     * can: it must bind a JDBC connection of the store's {@code DataSource} to its transactions.
     */
    static @Nullable String whyCannotJoin(PlatformTransactionManager manager, DataSource dataSource) {
        String fix = " Configure a JpaTransactionManager for the EntityManagerFactory on that DataSource, or a "
                + "DataSourceTransactionManager (JdbcTransactionManager) for it, and give it to the event store "
                + "(with Spring Boot: the property event-store.transaction-manager names the bean).";
        String found = "The event store's transaction manager " + manager.getClass().getName();
        if (manager instanceof JpaTransactionManager jpa) {
            if (jpa.getDataSource() == null) {
                return found + " has no DataSource, so it exposes no JDBC connection for the event store's statements "
                        + "to join; give it the DataSource " + dataSource + "." + fix;
            }
            return sameDataSource(jpa.getDataSource(), dataSource) ? null : found + " manages DataSource "
                    + jpa.getDataSource() + ", not the event store's " + dataSource + "." + fix;
        }
        if (manager instanceof ResourceTransactionManager resources) {
            Object factory = resources.getResourceFactory();
            return factory instanceof DataSource managed && sameDataSource(managed, dataSource) ? null
                    : found + " manages " + factory + ", not the event store's DataSource " + dataSource + "." + fix;
        }
        return found + " does not say which DataSource it manages, so the event store cannot tell whether its "
                + "statements would join its transactions." + fix;
    }

    private static boolean sameDataSource(DataSource one, DataSource other) {
        return unwrap(one) == unwrap(other);
    }

    private static DataSource unwrap(DataSource dataSource) {
        return dataSource instanceof TransactionAwareDataSourceProxy proxy && proxy.getTargetDataSource() != null
                ? proxy.getTargetDataSource() : dataSource;
    }

    /** Whether the current thread is inside a transaction, which a store call joins. */
    boolean inCallerTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive();
    }

    /** Runs statements that write, in the caller's transaction or a new one. */
    <T> T write(Work<T> work) throws SQLException {
        return run(writing, work);
    }

    /** Runs statements that read, in the caller's transaction (seeing its writes) or a new read-only one. */
    <T> T read(Work<T> work) throws SQLException {
        return run(reading, work);
    }

    private <T> T run(TransactionTemplate template, Work<T> work) throws SQLException {
        RuntimeException[] inside = new RuntimeException[1];
        try {
            return template.execute(status -> {
                try {
                    return onTransactionConnection(work);
                } catch (SQLException e) {
                    inside[0] = new StatementFailure(e);
                    throw inside[0];
                } catch (RuntimeException e) {
                    inside[0] = e;
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            // a rollback that fails after a failure (a dead connection cannot roll back) replaces that failure in
            // the transaction template; the failure inside is what the caller must hear about
            RuntimeException failure = inside[0] != null ? inside[0] : e;
            if (failure != e) {
                failure.addSuppressed(e);
            }
            if (failure instanceof StatementFailure statement) {
                for (Throwable suppressed : statement.getSuppressed()) {
                    statement.sql.addSuppressed(suppressed);
                }
                throw statement.sql;
            }
            throw failure;
        }
    }

    private <T> T onTransactionConnection(Work<T> work) throws SQLException {
        if (!(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder)) {
            throw new IllegalStateException("The transaction manager " + manager.getClass().getName() + " began a "
                    + "transaction without binding a JDBC connection of the event store's DataSource " + dataSource
                    + "; the event store's statements would run outside it, so none was sent");
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return work.run(connection);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** A statement's failure, carried through the transaction template, which rolls back on it. */
    private static final class StatementFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient SQLException sql;

        StatementFailure(SQLException sql) {
            super(sql.getMessage(), sql, false, false);
            this.sql = sql;
        }
    }
}

package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import jakarta.persistence.EntityManager;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * The store inside a calling application's transactions: it never flushes, or takes the blame for, the
 * caller's own pending writes, and it joins the transactions of every manager that binds a connection of
 * its {@code DataSource} (and refuses, when built, a manager that does not).
 */
class CallerTransactionTest {

    private JpaTestContext context(TestDatabase database) {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        return context;
    }

    private static EventStore store(JpaEventStorage storage) {
        return StorageEventStore.builder(storage).build();
    }

    private static int rows(JpaTestContext context, String table) {
        return context.jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }

    private static EntityManager entityManager(JpaTestContext context) {
        return EntityManagerFactoryUtils.getTransactionalEntityManager(context.entityManagerFactory);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anAppendLeavesTheCallersPendingEntitiesToTheCallersFlush(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context.storage());
        StreamId stream = StreamId.random();

        context.transactions().executeWithoutResult(status -> {
            entityManager(context).persist(new CallerAccount("a-1", "n-1", "Ada"));
            store.appendEvents(stream, 0, new NumberAdded(1));
            // the store's statements ran on the transaction's connection without flushing the caller's entity
            assertThat(rows(context, "es_event")).isEqualTo(1);
            assertThat(rows(context, "caller_account")).isZero();
        });

        assertThat(rows(context, "caller_account")).isEqualTo(1);
        assertThat(store.loadStream(stream)).hasSize(1);
    }

    static List<Arguments> callersOwnViolations() {
        List<Arguments> arguments = new java.util.ArrayList<>();
        for (TestDatabase database : TestDatabase.values()) {
            for (Versioning versioning : List.of(Versioning.expect(0), Versioning.ANY, Versioning.NO_VERSIONING)) {
                arguments.add(Arguments.of(database, versioning, "unique"));
                arguments.add(Arguments.of(database, versioning, "not-null"));
            }
        }
        return arguments;
    }

    @ParameterizedTest(name = "{0}, {1}, caller''s {2} violation")
    @MethodSource("callersOwnViolations")
    void aCallersOwnConstraintViolationReachesItAsWhatItIsAndTheAppendIsNotRepeated(TestDatabase database,
            Versioning versioning, String violation) {
        JpaTestContext context = context(database);
        EventStore store = store(context.storage());
        context.jdbc.update("insert into caller_account (id, number, owner) values ('a-1', 'n-1', 'Ada')");
        StreamId stream = StreamId.random();
        CallerAccount pending = violation.equals("unique") ? new CallerAccount("a-2", "n-1", "Bob")
                : new CallerAccount("a-2", "n-2", null);

        context.statements.start();
        assertThatThrownBy(() -> context.transactions().executeWithoutResult(status -> {
            entityManager(context).persist(pending);
            store.appendEvents(stream, versioning, new NumberAdded(1));
        })).isInstanceOf(DataIntegrityViolationException.class).isNotInstanceOf(EventStoreException.class);
        List<StatementLog.Execution> executions = context.statements.stop();

        assertThat(executions).filteredOn(execution -> execution.sql().contains("insert into es_event"))
                .as("the append ran once").hasSize(1);
        assertThat(rows(context, "es_event")).isZero();
        assertThat(rows(context, "es_stream")).isZero();
        assertThat(rows(context, "caller_account")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aDataSourceTransactionManagersTransactionHoldsTheEventsWithTheStreamVersion(TestDatabase database) {
        JpaTestContext context = context(database);
        DataSourceTransactionManager manager = new DataSourceTransactionManager(context.jdbc.getDataSource());
        EventStore store = store(new JpaEventStorage(context.entityManagerFactory, manager));
        StreamId stream = StreamId.random();
        TransactionTemplate transactions = new TransactionTemplate(manager);

        transactions.executeWithoutResult(status -> {
            context.jdbc.update("insert into caller_account (id, number, owner) values ('a-1', 'n-1', 'Ada')");
            store.appendEvents(stream, 0, new NumberAdded(1), new NumberAdded(2));
            status.setRollbackOnly();
        });

        assertThat(rows(context, "es_stream")).as("the stream row rolled back with the caller's write").isZero();
        assertThat(rows(context, "es_event")).isZero();
        assertThat(rows(context, "caller_account")).isZero();

        transactions.executeWithoutResult(status -> {
            context.jdbc.update("insert into caller_account (id, number, owner) values ('a-1', 'n-1', 'Ada')");
            store.appendEvents(stream, 0, new NumberAdded(1), new NumberAdded(2));
        });

        assertThat(rows(context, "caller_account")).isEqualTo(1);
        assertThat(store.loadStream(stream)).extracting(event -> event.version()).containsExactly(1L, 2L);
        assertThat(context.jdbc.queryForObject("select version from es_stream", Long.class)).isEqualTo(2L);
    }

    @ParameterizedTest
    @EnumSource(names = "H2")
    void aTransactionManagerOfAnotherDataSourceIsRefusedWhenTheStoreIsBuilt(TestDatabase database) {
        JpaTestContext context = context(database);
        JdbcDataSource other = new JdbcDataSource();
        other.setURL("jdbc:h2:mem:another-database");
        DataSourceTransactionManager manager = new DataSourceTransactionManager(other);

        assertThatThrownBy(() -> new JpaEventStorage(context.entityManagerFactory, manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DataSourceTransactionManager.class.getName())
                .hasMessageContaining("not the event store's DataSource")
                .hasMessageContaining("event-store.transaction-manager");
    }

    @ParameterizedTest
    @EnumSource(names = "H2")
    void aJpaTransactionManagerWithoutADataSourceIsRefusedWhenTheStoreIsBuilt(TestDatabase database) {
        JpaTestContext context = context(database);
        JpaTransactionManager manager = new JpaTransactionManager(context.entityManagerFactory);
        manager.setDataSource(null);

        assertThatThrownBy(() -> new JpaEventStorage(context.entityManagerFactory, manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(JpaTransactionManager.class.getName())
                .hasMessageContaining("has no DataSource");
        assertThat(JpaEventStorage.whyCannotJoin(context.transactionManager, context.entityManagerFactory)).isNull();
        assertThat(JpaEventStorage.whyCannotJoin(manager, context.entityManagerFactory)).contains("has no DataSource");
    }

    @ParameterizedTest
    @EnumSource(names = "H2")
    void thePersistenceUnitsDataSourceIsTheOneTheStoreRunsOn(TestDatabase database) {
        JpaTestContext context = context(database);
        assertThat(JpaEventStorage.dataSourceOf(context.entityManagerFactory)).isSameAs(context.jdbc.getDataSource());
    }
}

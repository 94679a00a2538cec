package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;
import dev.eventsourcery.eventstore.contract.ContractEvents.Unserializable;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/** What the JPA backend adds to the contract: transactions, round trips and the schema, on every database. */
class JpaEventStorageTest {

    private JpaTestContext context(TestDatabase database) {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        context.jdbc.execute("drop table if exists test_account");
        context.jdbc.execute("create table test_account (id varchar(64) not null primary key, balance bigint not null)");
        return context;
    }

    private static EventStore store(JpaTestContext context) {
        return StorageEventStore.builder(context.storage()).build();
    }

    private static List<WrappedEvent<?>> numbers(int count) {
        List<WrappedEvent<?>> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(WrappedEvent.wrap(new NumberAdded(i)));
        }
        return events;
    }

    private static int accounts(JpaTestContext context) {
        return context.jdbc.queryForObject("select count(*) from test_account", Integer.class);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void appendInACallerTransactionCommitsWithTheCallersWrites(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.random();

        context.transactions().executeWithoutResult(status -> {
            context.jdbc.update("insert into test_account (id, balance) values ('a-1', 10)");
            store.append(stream, 0, numbers(2));
        });

        assertThat(accounts(context)).isEqualTo(1);
        assertThat(store.loadStream(stream)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void appendInsideATransactionThatRollsBackLeavesNothing(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.random();

        context.transactions().executeWithoutResult(status -> {
            context.jdbc.update("insert into test_account (id, balance) values ('a-1', 10)");
            store.append(stream, 0, numbers(3));
            store.saveSnapshot(stream, WrappedEvent.wrap(new Total(6, 3), 3L));
            assertThat(store.loadStream(stream)).as("visible inside the transaction").hasSize(1);
            status.setRollbackOnly();
        });

        assertThat(store.loadStream(stream)).isEmpty();
        assertThat(store.position()).isEmpty();
        assertThat(accounts(context)).isZero();
        // the stream was never created: it still starts at version 0
        store.append(stream, 0, numbers(1));
        assertThat(store.loadStream(stream)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void versionConflictInACallerTransactionMarksItRollbackOnly(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.random();
        store.append(stream, 0, numbers(2));
        TransactionTemplate transactions = context.transactions();

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            context.jdbc.update("insert into test_account (id, balance) values ('a-1', 10)");
            assertThatThrownBy(() -> store.append(stream, 1, numbers(1)))
                    .isInstanceOf(ConcurrentStreamWriteException.class);
            assertThat(status.isRollbackOnly()).isTrue();
        })).isInstanceOf(UnexpectedRollbackException.class);

        assertThat(accounts(context)).isZero();
        assertThat(store.loadStream(stream)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void hundredEventAppendIsAllOrNothingWhenEvent57FailsToSerialize(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.random();
        store.append(stream, 0, numbers(1));
        Optional<Position> before = store.position();
        List<WrappedEvent<?>> batch = numbers(100);
        batch.set(56, WrappedEvent.wrap(new Unserializable("57")));

        assertThatThrownBy(() -> store.append(stream, 1, batch))
                .isInstanceOf(EventSerializationException.class)
                .hasMessageContaining("Unserializable");

        assertThat(store.loadStream(stream)).hasSize(1);
        assertThat(store.position()).isEqualTo(before);
        assertThat(context.jdbc.queryForObject("select version from es_stream", Long.class)).isEqualTo(1L);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void hundredEventAppendIsAllOrNothingWhenTheDatabaseRefusesEvent57(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId other = StreamId.random();
        WrappedEvent<NumberAdded> stored = WrappedEvent.wrap(new NumberAdded(0));
        store.append(other, stored);
        StreamId stream = StreamId.random();
        store.append(stream, 0, numbers(1));
        Optional<Position> before = store.position();
        List<WrappedEvent<?>> batch = numbers(100);
        batch.set(56, new WrappedEvent<>(new NumberAdded(57), null, stored.uuid(), stored.createdAt(), Context.empty()));

        assertThatThrownBy(() -> store.append(stream, 1, batch)).isInstanceOf(DuplicateEventException.class);

        assertThat(store.loadStream(stream)).hasSize(1);
        assertThat(store.position()).isEqualTo(before);
        assertThat(context.jdbc.queryForObject("select count(*) from es_event", Integer.class)).isEqualTo(2);
        // the stream version was not advanced: the next append expects 1
        store.append(stream, 1, numbers(1));
        assertThat(store.loadStream(stream)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSingleEventAppendOutsideATransactionIsOneStatementThatCommitsItself(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.random();
        StreamId other = StreamId.random();
        store.append(other, Versioning.ANY, numbers(1));

        for (Runnable append : List.<Runnable>of(
                () -> store.append(stream, 0, numbers(1)),
                () -> store.append(stream, 1, numbers(1)),
                () -> store.append(other, Versioning.ANY, numbers(1)))) {
            context.statements.start();
            append.run();
            List<StatementLog.Execution> executions = context.statements.stop();

            report(database, "single-event append outside a transaction", executions);
            assertThat(executions).hasSize(1);
            assertThat(executions.get(0).sql()).contains("es_stream").contains("insert into es_event");
        }
        assertThat(store.loadStream(stream)).extracting(WrappedEvent::version).containsExactly(1L, 2L);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSingleEventAppendInACallersTransactionIsOneStatementBeforeTheCommit(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.random();
        store.append(stream, 0, numbers(1));

        context.transactions().executeWithoutResult(status -> {
            context.statements.start();
            store.append(stream, 1, numbers(1));
            List<StatementLog.Execution> executions = context.statements.stop();

            report(database, "single-event append in a caller's transaction", executions);
            assertThat(executions).hasSize(1);
        });
        assertThat(store.loadStream(stream)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aHundredEventAppendIsOneStatement(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.random();
        store.append(stream, 0, numbers(1));

        context.statements.start();
        store.append(stream, 1, numbers(100));
        List<StatementLog.Execution> executions = context.statements.stop();

        report(database, "100-event append", executions);
        assertThat(executions).hasSize(1);
        assertThat(store.loadStream(stream)).extracting(WrappedEvent::version)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 101).boxed().toList());
    }

    @ParameterizedTest
    @EnumSource(names = "MARIADB")
    void onMariaDbConnectionsOfOneStatementPerRoundTripAnAppendIsTwoStatementsAndACommit(TestDatabase database) {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.plain(database);
        context.clear();
        EventStore store = store(context);
        StreamId stream = StreamId.random();
        store.append(stream, 0, numbers(1));

        context.statements.start();
        store.append(stream, 1, numbers(1));
        List<StatementLog.Execution> executions = context.statements.stop();

        report(database, "single-event append without allowMultiQueries", executions);
        assertThat(executions).extracting(StatementLog.Execution::sql).hasSize(3).last().isEqualTo("commit");
        assertThat(store.loadStream(stream)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void loadingAStreamIsOneQueryForTheSnapshotAndOneForTheEvents(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.random();
        store.append(stream, 0, numbers(100));
        store.saveSnapshot(stream, WrappedEvent.wrap(new Total(5050, 100), 60L));

        context.statements.start();
        List<WrappedEvent<?>> loaded = store.loadStream(stream);
        List<StatementLog.Execution> executions = context.statements.stop();

        report(database, "load of a 100-event stream with a snapshot", executions);
        assertThat(loaded).hasSize(41);
        assertThat(executions).as("no transaction to commit").hasSize(2);
        assertThat(executions).allSatisfy(execution -> assertThat(execution.sql()).startsWith("select"));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void shippedScriptsCreateTheSchemaTheEntitiesValidateAgainst(TestDatabase database) {
        database.assumeReachable();
        JpaTestContext.discard(database);
        try {
            JpaTestContext.recreateSchema(database);

            assertThatCode(() -> JpaTestContext.validateSchema(database)).doesNotThrowAnyException();
            JpaTestContext fresh = JpaTestContext.of(database);
            assertThat(fresh.jdbc.queryForObject("select count(*) from es_event", Integer.class)).isZero();
        } finally {
            JpaTestContext.discard(database);
        }
    }

    private static void report(TestDatabase database, String what, List<StatementLog.Execution> executions) {
        System.out.printf("%s: %s took %d round trips:%n", database, what, executions.size());
        executions.forEach(execution -> System.out.printf("  %s%s%n",
                execution.batch() ? "[batch of " + execution.batchSize() + "] " : "", abbreviated(execution.sql())));
    }

    /** The statement, with the rows of a long one left out. */
    private static String abbreviated(String sql) {
        return sql.length() <= 600 ? sql : sql.substring(0, 300) + " … " + sql.substring(sql.length() - 200);
    }
}

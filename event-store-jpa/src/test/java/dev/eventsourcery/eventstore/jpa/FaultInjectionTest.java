package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * Faults: the database connection killed in the middle of an append and inside a caller's transaction,
 * an acknowledgement lost after the commit, and stored JSON corrupted behind the store's back.
 */
class FaultInjectionTest {

    private static final String LOST = "connection to the database was lost";

    private JpaTestContext context;

    private JpaTestContext context(TestDatabase database) {
        database.assumeReachable();
        context = JpaTestContext.of(database);
        context.clear();
        context.jdbc.execute("drop table if exists test_account");
        context.jdbc.execute("create table test_account (id varchar(64) not null primary key, balance bigint not null)");
        return context;
    }

    @AfterEach
    void disarm() {
        if (context != null) {
            context.killer.disarm();
        }
    }

    private static EventStore store(JpaTestContext context) {
        return StorageEventStore.builder(context.storage()).build();
    }

    private static List<WrappedEvent<?>> numbers(int first, int count) {
        List<WrappedEvent<?>> events = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            events.add(WrappedEvent.wrap(new NumberAdded(i)));
        }
        return events;
    }

    private int rows(String table) {
        return context.jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }

    /** Where in an append the connection dies: at its first statement, or after the stream row was advanced. */
    static Stream<Arguments> killPoints() {
        List<Arguments> arguments = new ArrayList<>();
        for (TestDatabase database : List.of(TestDatabase.POSTGRESQL, TestDatabase.MARIADB)) {
            for (String statement : List.of("update es_stream", "insert into es_event")) {
                arguments.add(Arguments.of(database, statement));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}, killed before {1}")
    @MethodSource("killPoints")
    void connectionKilledInTheMiddleOfAnAppendStoresNothingAndTheNextAppendSucceedsOnAFreshConnection(
            TestDatabase database, String killedBefore) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.named("killed-" + killedBefore);
        List<WrappedEvent<?>> stored = numbers(1, 2);
        store.append(stream, 0, stored);
        Optional<Position> position = store.position();
        List<WrappedEvent<?>> batch = numbers(3, 50);

        context.killer.killBefore(killedBefore);
        int kills = context.killer.kills();
        assertThatThrownBy(() -> store.append(stream, 2, batch))
                .isExactlyInstanceOf(EventStoreException.class)
                .hasMessageContaining(LOST)
                .hasMessageContaining("killed-" + killedBefore)
                .hasMessageContaining("retry an append with the same events and the same expected version");
        assertThat(context.killer.kills()).as("the fault was injected").isEqualTo(kills + 1);

        assertThat(store.loadStream(stream)).hasSize(2);
        assertThat(store.position()).isEqualTo(position);
        assertThat(rows("es_event")).isEqualTo(2);
        assertThat(context.jdbc.queryForObject("select version from es_stream", Long.class)).isEqualTo(2L);

        store.append(stream, 2, batch);

        assertThat(store.loadStream(stream)).hasSize(52);
        assertThat(rows("es_event")).isEqualTo(52);
    }

    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MARIADB"})
    void connectionKilledInsideACallersTransactionLeavesNeitherTheCallersWritesNorTheEvents(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.named("killed-in-caller-transaction");
        store.append(stream, 0, numbers(1, 1));
        AtomicReference<RuntimeException> seenByTheCaller = new AtomicReference<>();

        assertThatThrownBy(() -> context.transactions().executeWithoutResult(status -> {
            context.jdbc.update("insert into test_account (id, balance) values ('a-1', 10)");
            context.killer.killBefore("insert into es_event");
            try {
                store.append(stream, 1, numbers(2, 3));
            } catch (RuntimeException e) {
                seenByTheCaller.set(e);
                throw e;
            }
        })).as("the caller's transaction fails too");

        assertThat(seenByTheCaller.get()).isExactlyInstanceOf(EventStoreException.class).hasMessageContaining(LOST);
        assertThat(rows("test_account")).isZero();
        assertThat(store.loadStream(stream)).hasSize(1);
        assertThat(rows("es_event")).isEqualTo(1);

        context.transactions().executeWithoutResult(status -> {
            context.jdbc.update("insert into test_account (id, balance) values ('a-1', 10)");
            store.append(stream, 1, numbers(2, 3));
        });

        assertThat(rows("test_account")).isEqualTo(1);
        assertThat(store.loadStream(stream)).hasSize(4);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void retryAfterALostAcknowledgementStoresTheEventsOnce(TestDatabase database) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId stream = StreamId.named("lost-acknowledgement");
        store.append(stream, 0, numbers(1, 1));
        List<WrappedEvent<?>> batch = numbers(2, 3);

        // the append commits, then the caller never hears of it
        assertThatThrownBy(() -> context.transactions().executeWithoutResult(status -> {
            store.append(stream, 1, batch);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    throw new IllegalStateException("acknowledgement lost");
                }
            });
        })).hasMessageContaining("acknowledgement lost");
        assertThat(rows("es_event")).as("it was stored").isEqualTo(4);

        store.append(stream, 1, batch);
        store.append(stream, Versioning.expect(1), batch);

        assertThat(rows("es_event")).as("retries store nothing more").isEqualTo(4);
        assertThat(store.loadStream(stream)).hasSize(4);
        store.append(stream, 4, numbers(5, 1));
        assertThat(store.loadStream(stream)).hasSize(5);
    }

    /** JSON that is valid for the column but not for the event: wrong type, wrong shape, null, a bad context. */
    static Stream<Arguments> corruptions() {
        List<Arguments> arguments = new ArrayList<>();
        for (TestDatabase database : TestDatabase.values()) {
            arguments.add(Arguments.of(database, "payload", "{\"value\": \"not a number\"}"));
            arguments.add(Arguments.of(database, "payload", "[1, 2, 3]"));
            arguments.add(Arguments.of(database, "payload", "null"));
            arguments.add(Arguments.of(database, "context", "{\"attributes\": 5}"));
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @MethodSource("corruptions")
    void corruptedStoredJsonFailsOnlyItsOwnStreamNamingStreamVersionAndType(TestDatabase database, String column,
            String json) {
        JpaTestContext context = context(database);
        EventStore store = store(context);
        StreamId corrupted = StreamId.named("corrupted-stream");
        StreamId healthy = StreamId.named("healthy-stream");
        List<WrappedEvent<?>> events = numbers(1, 3);
        store.append(corrupted, 0, events);
        store.append(healthy, 0, numbers(1, 3));
        store.scopedForTenant("acme").append(corrupted, 0, numbers(1, 3));

        String value = switch (database) {
            case POSTGRESQL -> "cast(? as jsonb)";
            case H2 -> "? format json";
            case MARIADB -> "?";
        };
        int updated = context.jdbc.update("update es_event set " + column + " = " + value
                + " where event_uuid = ?", json, events.get(1).uuid());
        assertThat(updated).isEqualTo(1);

        assertThatThrownBy(() -> store.loadStream(corrupted))
                .isInstanceOf(EventSerializationException.class)
                .hasMessageContaining("corrupted-stream")
                .hasMessageContaining("version 2")
                .hasMessageContaining("'NumberAdded'");
        assertThat(store.loadStream(corrupted, 3L, null)).as("the events around it").hasSize(1);
        assertThat(store.loadStream(corrupted, null, 2L)).hasSize(1);
        assertThat(store.loadStream(healthy)).hasSize(3);
        assertThat(store.scopedForTenant("acme").loadStream(corrupted)).as("the same stream id in another tenant").hasSize(3);
        store.append(corrupted, 3, numbers(4, 1));
    }
}

package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * No caller's transaction holds up the log, however long it stays open and whatever it did: while it is open,
 * {@code position()} answers and other streams' events are numbered and delivered. The transaction of the
 * worst case deletes a stream whose newest events are committed but not yet numbered (appended through an
 * instance whose sequencer is stopped, as on an instance that stopped before its numbering pass). Each case
 * runs {@value #REPETITIONS} times per database and isolation level, since the race it guards against
 * depends on timing.
 */
class LogLivenessTest {

    static final int REPETITIONS = 20;

    /** How long {@code position()} and a delivery may take while the transaction is open. */
    private static final Duration ANSWER = Duration.ofSeconds(2);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private JpaTestContext context;
    private JpaEventStorage storage;
    private JpaEventStorage stopped;
    private EventStore store;
    private EventStore unnumbered;

    static Stream<Arguments> databasesAndIsolationLevels() {
        List<Arguments> arguments = new ArrayList<>();
        for (TestDatabase database : TestDatabase.values()) {
            for (Isolation isolation : Isolation.values()) {
                arguments.add(Arguments.of(database, isolation));
            }
        }
        return arguments.stream();
    }

    /** The isolation levels a caller's transaction may run at. */
    enum Isolation {
        READ_COMMITTED(TransactionDefinition.ISOLATION_READ_COMMITTED),
        REPEATABLE_READ(TransactionDefinition.ISOLATION_REPEATABLE_READ),
        SERIALIZABLE(TransactionDefinition.ISOLATION_SERIALIZABLE);

        final int level;

        Isolation(int level) {
            this.level = level;
        }
    }

    void open(TestDatabase database) {
        database.assumeReachable();
        context = JpaTestContext.of(database);
        context.clear();
        storage = context.storage();
        stopped = context.storage();
        // appends through it commit and stay pending: nothing of this instance numbers them
        stopped.close();
        EventTypeRegistry registry = new EventTypeRegistry().register(NumberAdded.class, Total.class);
        store = StorageEventStore.builder(storage).registry(registry).build();
        unnumbered = StorageEventStore.builder(stopped).registry(registry).build();
    }

    @BeforeEach
    void noContextYet() {
        context = null;
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        if (storage != null) {
            storage.close();
        }
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("databasesAndIsolationLevels")
    void aTransactionHeldOpenAfterDeletingAStreamWithUnnumberedEventsHoldsUpNeitherThePositionNorOtherStreams(
            TestDatabase database, Isolation isolation) throws Exception {
        open(database);
        for (int i = 1; i <= REPETITIONS; i++) {
            StreamId busy = StreamId.random();
            unnumbered.append(busy, 0, numbers(3));
            holdOpenWhile(isolation, caller -> {
                caller.loadStream(busy);
                caller.deleteStream(busy);
            }, "repetition " + i + " of " + REPETITIONS);
            assertThat(store.loadStream(busy)).isEmpty();
        }
        new LogTables(context.jdbc).assertNoOrphans(store);
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("databasesAndIsolationLevels")
    void aTransactionHeldOpenAfterAppendingOrLockingAStreamHoldsUpNeitherThePositionNorOtherStreams(
            TestDatabase database, Isolation isolation) throws Exception {
        open(database);
        for (int i = 1; i <= REPETITIONS / 4; i++) {
            StreamId appended = StreamId.random();
            unnumbered.append(appended, 0, numbers(2));
            holdOpenWhile(isolation, caller -> caller.append(appended, 2, numbers(2)), "append, repetition " + i);
            StreamId locked = StreamId.random();
            unnumbered.append(locked, 0, numbers(2));
            // a snapshot locks the stream's row until the transaction ends
            holdOpenWhile(isolation, caller -> caller.saveSnapshot(locked, WrappedEvent.wrap(new Total(3, 2), 2L)),
                    "snapshot, repetition " + i);
            assertThat(store.loadStream(appended)).hasSize(4);
        }
        new LogTables(context.jdbc).assertNoOrphans(store);
    }

    /**
     * Runs {@code work} in a caller's transaction that stays open while this thread checks that the position
     * answers and that events of other streams are numbered and delivered, then commits it: one committed but
     * not yet numbered before the transaction began, and one appended while it is open. On MariaDB at repeatable
     * read and serializable the second is left out: InnoDB's next-key locks, which the caller's reads and its
     * delete take on the event table's (stream, version) index, may make an insert into a neighbouring stream
     * wait for the transaction's end; they hold up no numbering of what is committed, nor the position.
     */
    private void holdOpenWhile(Isolation isolation, Consumer<EventStore> work, String what) throws Exception {
        Position start = store.position().orElse(new Position(0));
        StreamId committed = StreamId.random();
        unnumbered.append(committed, 0, numbers(1));
        TransactionTemplate transactions = context.transactions();
        transactions.setIsolationLevel(isolation.level);
        CountDownLatch worked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> caller = threads.submit(() -> transactions.executeWithoutResult(status -> {
            work.accept(store);
            worked.countDown();
            await(release);
        }));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!worked.await(50, TimeUnit.MILLISECONDS)) {
                if (caller.isDone()) {
                    caller.get();
                }
                assertThat(System.nanoTime()).as(what + ": the caller's work ran").isLessThan(deadline);
            }

            Position position = within(ANSWER, store::position, what + ": position() with the transaction open")
                    .orElseThrow();
            List<StreamId> others = new ArrayList<>(List.of(committed));
            if (!(context.database == TestDatabase.MARIADB && isolation != Isolation.READ_COMMITTED)) {
                StreamId appended = StreamId.random();
                within(ANSWER, () -> {
                    store.append(appended, 0, numbers(1));
                    return null;
                }, what + ": an append to another stream");
                others.add(appended);
            }
            try (Subscription subscription = store.subscribe().after(start).build()) {
                List<StreamId> delivered = new ArrayList<>();
                long until = System.nanoTime() + ANSWER.toNanos();
                while (!delivered.containsAll(others) && System.nanoTime() < until) {
                    subscription.poll(100, ANSWER).forEach(event -> delivered.add(event.streamId()));
                }
                assertThat(delivered).as(what + ": other streams' events, delivered with the transaction open")
                        .containsAll(others);
            }
            assertThat(position.value()).as(what + ": position() counts the event committed before")
                    .isGreaterThan(start.value());
        } finally {
            release.countDown();
        }
        caller.get(60, TimeUnit.SECONDS);
    }

    private <T> T within(Duration limit, java.util.concurrent.Callable<T> call, String what) throws Exception {
        Future<T> answer = threads.submit(call);
        try {
            return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new AssertionError(what + " did not answer within " + limit, e);
        }
    }

    static List<WrappedEvent<?>> numbers(int count) {
        List<WrappedEvent<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(WrappedEvent.wrap(new NumberAdded(i)));
        }
        return events;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

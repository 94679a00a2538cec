package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.jpa.LogLivenessTest.Isolation;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * A caller's transaction that read a stream and then deletes it, while another writer appended to the stream
 * after the read: at every isolation level the delete removes every event it deletes from the log as well
 * (or, where the database refuses the delete as a serialization failure, the caller gets a conflict and
 * nothing is deleted), and no row of the log's tables is left behind. Under MariaDB's default, repeatable
 * read, the events appended after the read are exactly the ones a consistent read of the stream misses.
 * Each case runs {@value #REPETITIONS} times, half of them with the late event still unnumbered.
 */
class DeleteIsolationTest {

    static final int REPETITIONS = 20;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private JpaEventStorage storage;

    static Stream<Arguments> databasesAndIsolationLevels() {
        return LogLivenessTest.databasesAndIsolationLevels();
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
    void aDeleteAfterAReadRemovesEveryEventAppendedSinceFromTheLogOrIsRefusedAsAConflict(TestDatabase database,
            Isolation isolation) throws Exception {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        storage = context.storage();
        JpaEventStorage stopped = context.storage();
        stopped.close();
        EventStore store = StorageEventStore.builder(storage).build();
        EventStore unnumbered = StorageEventStore.builder(stopped).build();
        TransactionTemplate transactions = context.transactions();
        transactions.setIsolationLevel(isolation.level);
        int deleted = 0;
        int refused = 0;
        for (int i = 1; i <= REPETITIONS; i++) {
            StreamId stream = StreamId.random();
            store.append(stream, 0, LogLivenessTest.numbers(2));
            store.position();
            CountDownLatch read = new CountDownLatch(1);
            CountDownLatch appended = new CountDownLatch(1);
            Future<?> caller = threads.submit(() -> transactions.executeWithoutResult(status -> {
                assertThat(store.loadStream(stream)).hasSize(2);
                read.countDown();
                await(appended);
                store.deleteStream(stream);
            }));
            assertThat(read.await(30, TimeUnit.SECONDS)).isTrue();
            // committed after the caller's read: numbered at once, or left pending
            EventStore appender = i % 2 == 0 ? store : unnumbered;
            Future<?> append = threads.submit(() -> {
                appender.append(stream, Versioning.ANY, LogLivenessTest.numbers(1));
                if (appender == store) {
                    store.position();
                }
            });
            // under MariaDB's serializable the caller's read holds shared locks: the append waits for its end
            boolean appendedBeforeDelete = finishes(append);
            appended.countDown();
            try {
                caller.get(60, TimeUnit.SECONDS);
                deleted++;
                append.get(60, TimeUnit.SECONDS);
                assertThat(store.loadStream(stream)).as("repetition %d", i)
                        .hasSize(appendedBeforeDelete ? 0 : 1);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).as("repetition %d: the delete was refused as a conflict", i)
                        .isInstanceOf(ConcurrentStreamWriteException.class)
                        .hasMessageContaining(stream.toString());
                refused++;
                append.get(60, TimeUnit.SECONDS);
                assertThat(store.loadStream(stream)).as("repetition %d", i).hasSize(3);
            }
            new LogTables(context.jdbc).assertNoOrphans(store);
        }
        System.out.println("DeleteIsolationTest " + database + " at " + isolation + ": " + deleted + " deletes, "
                + refused + " refused as conflicts, in " + REPETITIONS + " repetitions");
        assertThat(deleted + refused).isEqualTo(REPETITIONS);
        // numbering goes on
        StreamId after = StreamId.random();
        store.append(after, 0, LogLivenessTest.numbers(1));
        store.position();
        assertThat(new LogTables(context.jdbc).loggedVersions(TenantId.DEFAULT, after)).containsExactly(1L);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void pendingRowsWhoseEventsAreGoneAreSweptAndHoldUpNoNumbering(TestDatabase database) {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        storage = context.storage();
        EventStore store = StorageEventStore.builder(storage).build();
        // what an earlier version left behind: more pending rows without events than a numbering pass once took,
        // before every event appended since (a pass took the oldest first)
        List<Object[]> orphans = new ArrayList<>();
        for (long seq = -1500; seq < 0; seq++) {
            orphans.add(new Object[] {seq});
        }
        context.jdbc.batchUpdate("insert into es_pending (seq) values (?)", orphans);
        StreamId stream = StreamId.random();

        store.append(stream, 0, LogLivenessTest.numbers(3));
        store.position();

        LogTables tables = new LogTables(context.jdbc);
        assertThat(tables.loggedVersions(TenantId.DEFAULT, stream)).containsExactly(1L, 2L, 3L);
        tables.assertNoOrphans(store);
    }

    /** Whether the work finishes within two seconds. */
    private static boolean finishes(Future<?> work) throws Exception {
        try {
            work.get(2, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

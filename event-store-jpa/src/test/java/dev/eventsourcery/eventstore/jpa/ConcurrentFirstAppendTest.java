package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * Writers that append to a stream that does not exist yet, without an expected version, all at once:
 * every one succeeds, inside callers' transactions as outside them, on every database alike.
 */
class ConcurrentFirstAppendTest {

    private static final int WRITERS = 8;

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (TestDatabase database : TestDatabase.values()) {
            for (Versioning versioning : List.of(Versioning.ANY, Versioning.NO_VERSIONING)) {
                cases.add(Arguments.of(database, versioning, true));
                cases.add(Arguments.of(database, versioning, false));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}, {1}, in callers'' transactions: {2}")
    @MethodSource("cases")
    void concurrentFirstAppendsWithoutAnExpectedVersionAllSucceed(TestDatabase database, Versioning versioning,
            boolean inCallersTransactions) throws Exception {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        EventStore store = StorageEventStore.builder(context.storage()).build();
        StreamId stream = StreamId.random();
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> appends = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                int value = i;
                appends.add(writers.submit(() -> {
                    Runnable append = () -> {
                        await(start);
                        store.append(stream, versioning, WrappedEvent.wrap(new NumberAdded(value)));
                    };
                    if (inCallersTransactions) {
                        context.transactions().executeWithoutResult(status -> {
                            append.run();
                            // keep the new stream uncommitted while the other writers reach it
                            sleep(50);
                        });
                    } else {
                        append.run();
                    }
                    return null;
                }));
            }
            for (Future<?> append : appends) {
                append.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }

        List<WrappedEvent<?>> loaded = store.loadStream(stream);
        assertThat(loaded).hasSize(WRITERS);
        assertThat(loaded).extracting(event -> ((NumberAdded) event.event()).value())
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        if (versioning == Versioning.ANY) {
            assertThat(loaded).extracting(WrappedEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        } else {
            assertThat(loaded).extracting(WrappedEvent::version).containsOnlyNulls();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

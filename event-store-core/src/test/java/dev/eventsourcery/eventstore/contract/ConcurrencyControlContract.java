package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;

/** Optimistic concurrency: expected versions, and concurrent writers of one stream. */
public interface ConcurrencyControlContract extends ContractFixture {

    /** Writers in the concurrency tests. */
    int THREADS = 8;

    /** Appends per writer in the {@code ANY} test. */
    default int appendsPerThread() {
        return 50;
    }

    @Test
    default void wrongExpectedVersionOnNewStreamIsRefused() {
        StreamId stream = StreamId.random();

        assertThatThrownBy(() -> store().append(stream, 3, numbers(1, 1)))
                .isInstanceOf(ConcurrentStreamWriteException.class)
                .hasMessageContaining("3");
        assertThat(store().loadStream(stream)).isEmpty();
    }

    @Test
    default void wrongExpectedVersionOnExistingStreamIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 3);

        assertThatThrownBy(() -> store().append(stream, 2, numbers(4, 1)))
                .isInstanceOf(ConcurrentStreamWriteException.class);
        assertThatThrownBy(() -> store().append(stream, 4, numbers(4, 1)))
                .isInstanceOf(ConcurrentStreamWriteException.class);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
    }

    @Test
    default void expectedVersionZeroOnExistingStreamIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 1);

        assertThatThrownBy(() -> store().append(stream, WrappedEvent.wrap(new NumberAdded(2))))
                .isInstanceOf(ConcurrentStreamWriteException.class);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
    }

    @Test
    default void correctExpectedVersionAfterOneEventIsAccepted() {
        StreamId stream = StreamId.random();
        givenStream(stream, 1);

        store().append(stream, 1, numbers(2, 1));

        assertThat(versionsOf(store().loadStream(stream))).containsExactly(1L, 2L);
    }

    @Test
    default void correctExpectedVersionAfterSeveralEventsIsAccepted() {
        StreamId stream = StreamId.random();
        givenStream(stream, 4);

        store().append(stream, Versioning.expect(4), numbers(5, 2));

        assertThat(versionsOf(store().loadStream(stream))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    default void refusedAppendWritesNothingOfItsBatch() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 2);
        List<WrappedEvent<?>> refused = numbers(3, 5);

        assertThatThrownBy(() -> store().append(stream, 1, refused))
                .isInstanceOf(ConcurrentStreamWriteException.class);

        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
        // the refused events' ids are still free: nothing of them was kept
        store().append(stream, 2, refused);
        assertThat(versionsOf(store().loadStream(stream))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    default void anyAppendsFollowTheCurrentVersion() {
        StreamId stream = StreamId.random();
        store().append(stream, Versioning.ANY, numbers(1, 2));
        store().append(stream, Versioning.ANY, numbers(3, 1));

        assertThat(versionsOf(store().loadStream(stream))).containsExactly(1L, 2L, 3L);
    }

    @Test
    default void anyAppendsFromEightThreadsGetContiguousVersions() throws Exception {
        StreamId stream = StreamId.random();
        int perThread = appendsPerThread();
        List<Callable<Void>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int writer = t;
            writers.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    store().append(stream, Versioning.ANY, WrappedEvent.wrap(new NumberAdded(writer * perThread + i)));
                }
                return null;
            });
        }

        List<Throwable> failures = runTogether(writers);

        assertThat(failures).isEmpty();
        List<WrappedEvent<?>> loaded = store().loadStream(stream);
        assertThat(versionsOf(loaded)).containsExactlyElementsOf(
                LongStream.rangeClosed(1, (long) THREADS * perThread).boxed().toList());
        assertThat(loaded).extracting(WrappedEvent::event).doesNotHaveDuplicates();
    }

    @Test
    default void writersRacingOnOneExpectedVersionHaveExactlyOneWinner() throws Exception {
        StreamId stream = StreamId.random();
        givenStream(stream, 1);
        List<Callable<Void>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int writer = t;
            writers.add(() -> {
                store().append(stream, 1, WrappedEvent.wrap(new NumberAdded(100 + writer)));
                return null;
            });
        }

        List<Throwable> failures = runTogether(writers);

        assertThat(failures).hasSize(THREADS - 1).allSatisfy(
                failure -> assertThat(failure).isInstanceOf(ConcurrentStreamWriteException.class));
        List<WrappedEvent<?>> loaded = store().loadStream(stream);
        assertThat(versionsOf(loaded)).containsExactly(1L, 2L);
        assertThat(((NumberAdded) loaded.get(1).event()).value()).isBetween(100, 100 + THREADS - 1);
    }

    /** Starts all tasks at once on their own threads; returns what each failed with, if anything. */
    private static List<Throwable> runTogether(List<Callable<Void>> tasks) throws Exception {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(executor.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<Void> future : futures) {
                try {
                    future.get(5, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            return failures;
        } finally {
            executor.shutdownNow();
        }
    }
}

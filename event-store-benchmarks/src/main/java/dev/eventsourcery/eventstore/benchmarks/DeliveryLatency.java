package dev.eventsourcery.eventstore.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.SubscriptionBuilder;

/**
 * S8: how long an event takes from the append call to a subscriber that waits for it, on an idle store.
 *
 * <p>A subscriber thread waits in a long poll; the main thread appends one event to a stream of its own,
 * waits until the subscriber has it, pauses a random 50–150 ms so that the store is idle again, and repeats.
 * The pause spans more than a poll interval (100 ms), so appends land at every phase of a polling
 * reader's cycle instead of locking onto one. A sample is the time from just before the append call to the
 * moment the subscriber's poll returned the event; the first tenth of the appends warm up and are dropped.
 */
final class DeliveryLatency {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration GIVE_UP = Duration.ofSeconds(10);
    private static final int SHORTEST_PAUSE_MILLIS = 50;
    private static final int LONGEST_PAUSE_MILLIS = 150;

    private DeliveryLatency() {
    }

    /** A subscriber waiting for the probe stream's events. */
    interface Subscriber extends AutoCloseable {

        /**
         * Waits up to {@code limit} for events, and returns the sample numbers of the probe stream's events
         * it got (none when the time ran out).
         */
        List<Long> await(Duration limit) throws InterruptedException;

        @Override
        void close();
    }

    /** Appends sample {@code n}: the probe stream's event after version {@code n}. */
    @FunctionalInterface
    interface Appender {
        void append(long sample);
    }

    /**
     * Median and 99th percentile of one variant's samples.
     *
     * @param medianMillis the median, in milliseconds
     * @param p99Millis the 99th percentile (nearest rank), in milliseconds
     */
    record Figures(double medianMillis, double p99Millis) {

        static Figures of(double[] millis) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            int middle = sorted.length / 2;
            double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
            int rank = (int) Math.ceil(0.99 * sorted.length);
            return new Figures(median, sorted[Math.max(0, rank - 1)]);
        }
    }

    /** The event store's subscriber: a subscription of every tenant after the store's current position. */
    static Subscriber subscriber(EventStore store, UUID stream) {
        SubscriptionBuilder builder = store.subscribe().inAllTenants();
        Optional<Position> head = store.position();
        if (head.isPresent()) {
            builder = builder.after(head.get());
        }
        Subscription subscription = builder.build();
        return new Subscriber() {
            @Override
            public List<Long> await(Duration limit) {
                List<Long> samples = new ArrayList<>();
                for (RecordedEvent<?> event : subscription.poll(100, limit)) {
                    if (event.streamId().uuid().equals(stream)) {
                        samples.add(event.wrappedEvent().version() - 1);
                    }
                }
                return samples;
            }

            @Override
            public void close() {
                subscription.close();
            }
        };
    }

    /** Runs {@code warmUp + samples} appends with the subscriber waiting on its own thread; the measured figures. */
    static Figures measure(Subscriber subscriber, Appender appender, int warmUp, int samples) {
        // what the subscriber got, with the time it got it: handing it over orders the clock reads
        BlockingQueue<long[]> delivered = new LinkedBlockingQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread subscriberThread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    List<Long> got = subscriber.await(POLL);
                    long now = System.nanoTime();
                    for (long sample : got) {
                        delivered.add(new long[] {sample, now});
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "s8-subscriber");
        subscriberThread.start();
        int total = warmUp + samples;
        double[] millis = new double[samples];
        try {
            // let the subscriber reach its first wait
            Thread.sleep(LONGEST_PAUSE_MILLIS);
            for (int n = 0; n < total; n++) {
                long sentAt = System.nanoTime();
                appender.append(n);
                long[] got = delivered.poll(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS);
                if (got == null || got[0] != n) {
                    throw new IllegalStateException("The subscriber " + (got == null ? "got nothing within " + GIVE_UP
                            : "got sample " + got[0]) + " after append " + n, failure.get());
                }
                if (n >= warmUp) {
                    millis[n - warmUp] = (got[1] - sentAt) / 1e6;
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(SHORTEST_PAUSE_MILLIS, LONGEST_PAUSE_MILLIS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            subscriberThread.interrupt();
            try {
                subscriberThread.join(GIVE_UP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            subscriber.close();
        }
        return Figures.of(millis);
    }
}

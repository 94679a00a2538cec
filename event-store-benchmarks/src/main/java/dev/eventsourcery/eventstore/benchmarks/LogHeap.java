package dev.eventsourcery.eventstore.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.Subscription;

/**
 * The heap while one subscription reads the whole grown log (more than 1,000,000 events) from the start in
 * polls of 1,000, each payload deserialized and dropped, as a projection catching up would: the heap in use
 * after a full collection at the start and after every 100,000 events. Flat samples show that catching up
 * holds one batch at a time, whatever the log's length.
 *
 * @param events events read
 * @param seconds time the read took, collections included
 * @param usedMiB heap in use after a collection: before the first poll, then after every 100,000 events
 */
record LogHeap(long events, double seconds, List<Double> usedMiB) {

    private static final int EVERY = 100_000;

    static LogHeap measure(EventStore store) {
        List<Double> used = new ArrayList<>();
        long events = 0;
        long start = System.nanoTime();
        try (Subscription subscription = store.subscribe().inAllTenants().build()) {
            used.add(usedAfterCollection());
            while (true) {
                List<RecordedEvent<?>> batch = subscription.poll(1000, Duration.ofMillis(500));
                if (batch.isEmpty()) {
                    break;
                }
                long before = events;
                events += batch.size();
                if (events / EVERY != before / EVERY) {
                    used.add(usedAfterCollection());
                }
            }
        }
        return new LogHeap(events, (System.nanoTime() - start) / 1e9, used);
    }

    double minMiB() {
        return usedMiB.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    double maxMiB() {
        return usedMiB.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static double usedAfterCollection() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}

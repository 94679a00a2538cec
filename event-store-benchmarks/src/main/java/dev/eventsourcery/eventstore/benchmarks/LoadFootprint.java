package dev.eventsourcery.eventstore.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.List;
import java.util.UUID;

/**
 * The memory a load of one long stream takes: the bytes allocated while loading (what JMH's GC profiler
 * reports as {@code gc.alloc.rate.norm}), and the heap still held by the loaded events afterwards, both
 * per event.
 *
 * @param allocatedBytesPerEvent bytes allocated by the loading thread, per loaded event
 * @param retainedBytesPerEvent heap held by the loaded list after a full collection, per loaded event
 */
record LoadFootprint(double allocatedBytesPerEvent, double retainedBytesPerEvent) {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Loads the stream once on the current thread and measures it. */
    static LoadFootprint measure(Contender contender, UUID stream, int length) {
        collectGarbage();
        long heapBefore = usedHeap();
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        List<?> loaded = contender.load(stream);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        if (loaded.size() != length) {
            throw new IllegalStateException(contender.name() + " loaded " + loaded.size() + " of " + length + " events");
        }
        collectGarbage();
        long retained = usedHeap() - heapBefore;
        Reference.reachabilityFence(loaded);
        return new LoadFootprint((double) allocated / length, (double) retained / length);
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void collectGarbage() {
        // two collections: the first may only queue finalizable and weakly reachable objects
        System.gc();
        System.gc();
    }
}

package dev.eventsourcery.eventstore.spring.projection;

/**
 * What the projection runners report of their work, for metrics and traces: each batch runs through
 * {@link #batch}, so an observer can time it and open a span around its transaction. Every method does nothing
 * by default; with Micrometer on the class path the starter registers one that records metrics and
 * observations, and every {@code ProjectionObserver} bean of the application is called too. The methods are
 * called on the projection's own thread; apart from what {@code work} throws, they must not throw.
 */
public interface ProjectionObserver {

    /** The observer that observes nothing. */
    ProjectionObserver NONE = new ProjectionObserver() {
    };

    /**
     * Runs the transaction of a batch: handing the events to the handlers and moving the checkpoint with a
     * compare-and-set of the projection's row. An implementation runs {@code work} exactly once, on the calling thread, and lets
     * what it throws through; a failed batch is rolled back.
     *
     * @param projection the projection's name
     * @param events how many events the batch hands to the handlers (1 when a failing event is retried alone)
     * @param work the batch's transaction
     */
    default void batch(String projection, int events, Runnable work) {
        work.run();
    }

    /** A batch of events was handled and its checkpoint committed, {@code nanos} after it began. */
    default void batchHandled(String projection, int events, long nanos) {
    }

    /** An attempt to handle an event failed; the event is tried again or given up on. */
    default void failed(String projection) {
    }
}

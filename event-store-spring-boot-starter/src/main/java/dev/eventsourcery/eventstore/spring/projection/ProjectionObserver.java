package dev.eventsourcery.eventstore.spring.projection;

/** What the runners report of their work, for metrics; does nothing by default. */
interface ProjectionObserver {

    ProjectionObserver NONE = new ProjectionObserver() {
    };

    /** A batch of events was handled and its checkpoint committed. */
    default void batchHandled(String projection, int events, long nanos) {
    }

    /** An attempt to handle an event failed. */
    default void failed(String projection) {
    }
}

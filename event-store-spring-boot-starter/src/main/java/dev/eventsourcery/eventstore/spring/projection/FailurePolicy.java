package dev.eventsourcery.eventstore.spring.projection;

/** What a projection does after the last attempt to handle an event failed. */
public enum FailurePolicy {

    /** Stops, reporting the failing event, until it is resumed or reset. */
    STOP,

    /** Records the event as a dead letter, which can be listed and replayed, and goes on with the next one. */
    DEAD_LETTER
}

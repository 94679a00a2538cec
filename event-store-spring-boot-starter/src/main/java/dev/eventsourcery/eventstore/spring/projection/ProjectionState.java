package dev.eventsourcery.eventstore.spring.projection;

/** What a projection is doing, as kept in the database for every instance to see. */
public enum ProjectionState {

    /** Handling events, or waiting for them. */
    RUNNING,

    /** Paused by an operator; its instance holds its lease and handles nothing until resumed. */
    PAUSED,

    /** Stopped on an event it failed to handle; see {@link ProjectionStatus#error()}. */
    FAILED
}

package dev.eventsourcery.eventstore.spring.projection;

/** Where a projection without a checkpoint starts reading the log. */
public enum StartPosition {

    /** From the first event of the log. */
    BEGINNING,

    /** After the newest event when the projection first runs: only events appended later. */
    NOW
}

package dev.eventsourcery.eventstore.autoconfigure.eventtypes.ambiguous.second;

/** One of two event classes with the simple name LimitRaised, neither annotated. */
public record LimitRaised(long limit) {
}

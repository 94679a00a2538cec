package dev.eventsourcery.eventstore.autoconfigure.eventtypes.shared;

/** An event of a shared events jar without {@code @EventType}. */
public record CardBlocked(String card) {
}

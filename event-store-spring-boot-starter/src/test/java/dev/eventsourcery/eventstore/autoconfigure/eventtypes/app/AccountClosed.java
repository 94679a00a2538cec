package dev.eventsourcery.eventstore.autoconfigure.eventtypes.app;

/** A top-level event class without {@code @EventType}: stored under its simple name. */
public record AccountClosed(String account) {
}

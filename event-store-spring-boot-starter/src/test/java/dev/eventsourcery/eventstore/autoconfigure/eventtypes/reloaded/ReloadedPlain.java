package dev.eventsourcery.eventstore.autoconfigure.eventtypes.reloaded;

/** An event class without {@code @EventType} that a test loads again with a class loader of its own. */
public record ReloadedPlain(String note) {
}

package dev.eventsourcery.eventstore.autoconfigure.eventtypes.reloaded;

import dev.eventsourcery.eventstore.EventType;

/** An annotated event class that a test loads again with a class loader of its own, as devtools does. */
@EventType("reloaded.Annotated")
public record ReloadedAnnotated(String note) {
}

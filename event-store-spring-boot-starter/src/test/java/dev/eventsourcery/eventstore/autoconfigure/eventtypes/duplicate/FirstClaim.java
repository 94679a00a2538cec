package dev.eventsourcery.eventstore.autoconfigure.eventtypes.duplicate;

import dev.eventsourcery.eventstore.EventType;

/** Claims a type name that {@link SecondClaim} claims too. */
@EventType("claimed.Twice")
public record FirstClaim(String value) {
}

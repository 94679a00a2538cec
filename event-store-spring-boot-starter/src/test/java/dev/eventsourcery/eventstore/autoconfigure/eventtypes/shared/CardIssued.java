package dev.eventsourcery.eventstore.autoconfigure.eventtypes.shared;

import dev.eventsourcery.eventstore.EventType;

/** An event of a shared events jar, outside the application's packages. */
@EventType("cards.CardIssued")
public record CardIssued(String card) {
}

package dev.eventsourcery.eventstore.autoconfigure.upcasting.v1;

import dev.eventsourcery.eventstore.EventType;

/** A parcel as the first version of an application stored it: its weight in grams. */
@EventType("shop.ParcelSent")
public record ParcelSent(int grams) {
}

package dev.eventsourcery.eventstore.autoconfigure.upcasting.v2;

import dev.eventsourcery.eventstore.EventType;

/** The second version: the weight in kilograms, with its carrier (older parcels went by post). */
@EventType(value = "shop.ParcelSent", version = 2)
public record ParcelSent(double kilograms, String carrier) {
}

package dev.eventsourcery.eventstore.autoconfigure.storedjson;

import org.jspecify.annotations.Nullable;

/** An event whose JSON shows naming, inclusion and the application's module at work. */
public record OrderPlaced(String customerName, Money total, @Nullable String deliveryNote) {
}

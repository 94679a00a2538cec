package dev.eventsourcery.eventstore.storage;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What {@link EventStorage#read} found: the latest snapshot in the requested range, if any, and the
 * events that follow it (or that lie in the range, without a snapshot), in stream order.
 *
 * @param snapshot the latest snapshot with a version in the range, or {@code null}
 * @param events the events after the snapshot (or from the start of the range), before its stop
 */
public record StreamSlice(@Nullable EventRecord snapshot, List<EventRecord> events) {

    /** A slice with no snapshot and no events: what a missing stream reads as. */
    public static final StreamSlice EMPTY = new StreamSlice(null, List.of());

    /** Copies the events. */
    public StreamSlice {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }
}

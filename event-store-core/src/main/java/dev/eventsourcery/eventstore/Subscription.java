package dev.eventsourcery.eventstore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads the log from a checkpoint, in position order, never skipping an event: every event that commits
 * after the checkpoint is delivered exactly once, also one from a transaction that stayed open while later
 * ones committed; nothing uncommitted or rolled back is delivered. Between polls it holds no database
 * connection and no transaction. Not thread-safe: poll it from one thread at a time.
 */
public interface Subscription extends AutoCloseable {

    /**
     * Up to {@code maxEvents} next events, in position order. Returns as soon as at least one is available;
     * waits at most {@code timeLimit} for the first one, then returns an empty list.
     *
     * @throws IllegalArgumentException when {@code maxEvents} is below 1 or the time limit negative
     * @throws NullPointerException when the time limit is null
     * @throws IllegalStateException after {@link #close()}
     * @throws UnreadableEventException when the next event cannot be read: its stored type has no class (the
     *     cause is an {@link UnknownEventTypeException}) or its JSON does not read as its class (an
     *     {@link EventSerializationException}). It names the event's position, tenant, stream, type and id. The
     *     events before it are delivered first, by an earlier poll, and the subscription stays at the event
     *     before it: the next poll reports it again
     */
    List<RecordedEvent<?>> poll(int maxEvents, Duration timeLimit);

    /** Position of the last event delivered, or the checkpoint it started after; empty when it started at the first. */
    Optional<Position> position();

    /** Ends the subscription; polling it afterwards is refused. */
    @Override
    void close();
}

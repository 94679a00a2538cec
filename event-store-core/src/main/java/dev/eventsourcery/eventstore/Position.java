package dev.eventsourcery.eventstore;

/**
 * Where an event lies in the whole store. Every stored event has its own position, and through one
 * {@link EventStore} a later append gets higher positions.
 *
 * @param value the position, positive
 */
public record Position(long value) implements Comparable<Position> {

    @Override
    public int compareTo(Position other) {
        return Long.compare(value, other.value);
    }
}

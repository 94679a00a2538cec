package dev.eventsourcery.eventstore;

/**
 * Where an event lies in the log of the whole store. Every stored event has its own position, unique in
 * the store and never changed once visible. Positions follow commit order: once any reader has seen
 * position {@code p}, no event with a position below {@code p} can ever become visible, whichever instance
 * or thread wrote it. Positions may have gaps (deleted streams, rolled-back numbering).
 *
 * @param value the position, positive
 */
public record Position(long value) implements Comparable<Position> {

    @Override
    public int compareTo(Position other) {
        return Long.compare(value, other.value);
    }
}

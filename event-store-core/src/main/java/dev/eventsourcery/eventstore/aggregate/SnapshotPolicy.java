package dev.eventsourcery.eventstore.aggregate;

/**
 * When the repository writes a snapshot of an aggregate, asked after every command that appended events.
 *
 * @param <S> the aggregate's state
 */
@FunctionalInterface
public interface SnapshotPolicy<S> {

    /**
     * Whether to write a snapshot of the state a command left.
     *
     * @param state the state after the command's events
     * @param version the stream's version after them, which the snapshot would carry
     * @param eventsSinceSnapshot how many events were folded into the state since the snapshot it was loaded
     *     from, or since the beginning of the stream when it was loaded without one
     */
    boolean shouldSnapshot(S state, long version, long eventsSinceSnapshot);

    /** Never writes a snapshot: the default. */
    static <S> SnapshotPolicy<S> never() {
        return (state, version, eventsSinceSnapshot) -> false;
    }

    /**
     * Writes a snapshot once at least {@code n} events were folded in since the last one the aggregate was
     * loaded from, so that a load reads at most about {@code n} events after a snapshot.
     *
     * @throws IllegalArgumentException when {@code n} is less than 1
     */
    static <S> SnapshotPolicy<S> everyEvents(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("A snapshot every " + n + " events: the number must be 1 or more");
        }
        return (state, version, eventsSinceSnapshot) -> eventsSinceSnapshot >= n;
    }
}

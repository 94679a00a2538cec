package dev.eventsourcery.eventstore.spring.projection;

import java.util.List;
import java.util.Optional;

import dev.eventsourcery.eventstore.Position;

/**
 * The application's projections, to look at and operate from code (the Actuator endpoint {@code eventstore}
 * does the same over HTTP). Operations change the projection's row in the database, so they take effect on
 * whichever instance runs it, before its next batch.
 */
public interface Projections {

    /** The names of the projections this application declares. */
    List<String> names();

    /** Where each projection stands. */
    List<ProjectionStatus> statuses();

    /** Where one projection stands; empty for a name this application does not declare. */
    Optional<ProjectionStatus> status(String name);

    /** Pauses a projection: it handles nothing until resumed. */
    void pause(String name);

    /** Resumes a paused projection, or one stopped on a failure (which then retries the failing event). */
    void resume(String name);

    /**
     * Moves a projection's checkpoint back or forward, running its {@link ProjectionReset} methods in the same
     * transaction and dropping its dead letters after the position; it then handles the events after it. A
     * paused projection stays paused (pause, reset, resume is a rebuild under control); one stopped on a
     * failure runs again.
     *
     * @param position the new checkpoint; {@code Position} 0 is the beginning (a rebuild)
     */
    void reset(String name, Position position);

    /** Resets a projection to the beginning of the log: a rebuild. */
    default void rebuild(String name) {
        reset(name, new Position(0));
    }

    /** A projection's dead letters, in position order. */
    List<DeadLetter> deadLetters(String name);

    /**
     * Handles a dead letter's event again, in a transaction that removes the dead letter when the handler
     * succeeds; its failure reaches the caller and the dead letter stays.
     *
     * @throws IllegalArgumentException when the projection has no dead letter at that position
     */
    void replay(String name, long position);
}

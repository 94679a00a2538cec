package dev.eventsourcery.eventstore.aggregate;

import java.util.Objects;
import java.util.UUID;

/**
 * An aggregate as it was loaded, or as a command left it.
 *
 * @param id the aggregate's id, the UUID of its stream
 * @param state the state its events fold into
 * @param version the version of its stream that the state reflects; {@code 0} when it was never created
 * @param <S> the aggregate's state
 */
public record Aggregate<S>(UUID id, S state, long version) {

    /**
     * Requires an id and a state, and a version of {@code 0} or more.
     *
     * @throws IllegalArgumentException when the version is negative
     */
    public Aggregate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        if (version < 0) {
            throw new IllegalArgumentException("The version of aggregate " + id + " must not be negative, got "
                    + version);
        }
    }
}

package dev.eventsourcery.eventstore.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.StreamId;

/**
 * How aggregates of one kind are rebuilt from their events, and where their streams live: aggregate {@code id}
 * is the stream {@code StreamId.of(id).withCategory(category)}. Immutable and thread-safe.
 *
 * <p>Events are folded in either by per-class handlers ({@link Builder#on}) or by one function for every event
 * ({@link Builder#evolve}), typically a {@code switch} over a sealed interface. An event that no handler takes
 * leaves the state as it is, so events added to a stream for other readers do not break loading.
 *
 * <p><b>Snapshots.</b> By default the state object itself is the snapshot: it must serialize as JSON and is
 * stored under its event type name ({@link dev.eventsourcery.eventstore.EventType @EventType} on it, else its
 * simple name), and the store must be able to load that type, like any event's (the Spring Boot starter finds
 * it in the application's packages). {@link Builder#snapshotAs} stores a class of its own instead, for a state
 * that is not a good JSON document or whose stored form should change apart from it. The snapshot class must
 * not be one of the aggregate's event classes: a stream whose first loaded entry is an instance of it is read
 * as starting from a snapshot.
 *
 * @param <S> the aggregate's state
 */
public final class AggregateType<S> {

    private final String category;
    private final Class<S> stateType;
    private final Supplier<S> initialState;
    private final BiFunction<S, Object, S> evolution;
    private final SnapshotPolicy<S> snapshotPolicy;
    private final SnapshotForm<S, ?> snapshotForm;

    private AggregateType(String category, Class<S> stateType, Supplier<S> initialState,
            BiFunction<S, Object, S> evolution, SnapshotPolicy<S> snapshotPolicy, SnapshotForm<S, ?> snapshotForm) {
        this.category = category;
        this.stateType = stateType;
        this.initialState = initialState;
        this.evolution = evolution;
        this.snapshotPolicy = snapshotPolicy;
        this.snapshotForm = snapshotForm;
    }

    /**
     * Starts describing an aggregate type.
     *
     * @param category the category of every stream of this type; the rules of a stream's category apply
     * @param stateType the class of the state
     * @throws IllegalArgumentException when the category is blank or longer than 255 characters
     */
    public static <S> Builder<S> builder(String category, Class<S> stateType) {
        return new Builder<>(category, stateType);
    }

    /** The category of every stream of this type. */
    public String category() {
        return category;
    }

    /** The class of the state. */
    public Class<S> stateType() {
        return stateType;
    }

    /** The state before the first event, made afresh by the builder's supplier on every call. */
    public S initialState() {
        return Objects.requireNonNull(initialState.get(),
                () -> "The initial state supplier of aggregate type '" + category + "' returned null");
    }

    /**
     * The state with one event folded in. An event that no handler takes leaves the state as it is.
     *
     * @throws NullPointerException when a handler returns {@code null}
     * @throws IllegalStateException when handlers are registered for two supertypes of the event's class that
     *     are equally near it, and none for the class itself
     */
    public S evolve(S state, Object event) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(event, "event");
        return Objects.requireNonNull(evolution.apply(state, event), () -> "The handler of aggregate type '"
                + category + "' for event " + event.getClass().getName() + " returned null instead of a state");
    }

    /** When the repository writes snapshots of aggregates of this type. */
    public SnapshotPolicy<S> snapshotPolicy() {
        return snapshotPolicy;
    }

    /** The stream of aggregate {@code id}: {@code StreamId.of(id).withCategory(category())}. */
    public StreamId streamId(UUID id) {
        return StreamId.of(Objects.requireNonNull(id, "id")).withCategory(category);
    }

    /** The class stored as a snapshot: the state's own unless {@link Builder#snapshotAs} chose another. */
    Class<?> snapshotType() {
        return snapshotForm.type();
    }

    /** Whether a loaded entry is a snapshot of this type. */
    boolean isSnapshot(Object loaded) {
        return snapshotForm.type().isInstance(loaded);
    }

    /** The snapshot of a state. */
    Object toSnapshot(S state) {
        return Objects.requireNonNull(snapshotForm.toSnapshot().apply(state),
                () -> "The snapshot function of aggregate type '" + category + "' returned null");
    }

    /** The state a loaded snapshot stands for. */
    S fromSnapshot(Object snapshot) {
        return Objects.requireNonNull(snapshotForm.restore(snapshot),
                () -> "The function restoring snapshots of aggregate type '" + category + "' returned null");
    }

    @Override
    public String toString() {
        return "AggregateType[" + category + ", " + stateType.getName() + "]";
    }

    /** How a state is stored as a snapshot and restored from one. */
    private record SnapshotForm<S, T>(Class<T> type, Function<S, T> toSnapshot, Function<T, S> fromSnapshot) {

        S restore(Object snapshot) {
            return fromSnapshot.apply(type.cast(snapshot));
        }
    }

    /**
     * Describes an {@link AggregateType}: its initial state and its handlers are required, the rest has
     * defaults. Not thread-safe; each {@link #build()} makes an independent type.
     *
     * @param <S> the aggregate's state
     */
    public static final class Builder<S> {

        private final String category;
        private final Class<S> stateType;
        private @Nullable Supplier<S> initialState;
        private final Map<Class<?>, BiFunction<S, Object, S>> handlers = new LinkedHashMap<>();
        private @Nullable BiFunction<S, Object, S> evolve;
        private SnapshotPolicy<S> snapshotPolicy = SnapshotPolicy.never();
        private SnapshotForm<S, ?> snapshotForm;

        private Builder(String category, Class<S> stateType) {
            Objects.requireNonNull(category, "category");
            this.stateType = Objects.requireNonNull(stateType, "stateType");
            // the rules of a stream's category, checked where they are defined
            this.category = Objects.requireNonNull(StreamId.random().withCategory(category).category());
            this.snapshotForm = new SnapshotForm<>(stateType, Function.identity(), Function.identity());
        }

        /** The state before the first event; the supplier is asked each time a new aggregate is started. */
        public Builder<S> initialState(Supplier<S> initial) {
            this.initialState = Objects.requireNonNull(initial, "initial");
            return this;
        }

        /**
         * Folds events of {@code eventType}, and of its subtypes that have no handler nearer to them, into the
         * state. The handler of an event is resolved once per event class: its own class's, else the nearest
         * supertype's (by steps up the superclasses and interfaces; a handler for {@code Object} takes what no
         * other does).
         *
         * @throws IllegalArgumentException when {@code eventType} already has a handler
         */
        public <E> Builder<S> on(Class<E> eventType, BiFunction<S, E, S> handler) {
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(handler, "handler");
            if (handlers.containsKey(eventType)) {
                throw new IllegalArgumentException("Aggregate type '" + category + "' already has a handler for "
                        + eventType.getName());
            }
            handlers.put(eventType, (state, event) -> handler.apply(state, eventType.cast(event)));
            return this;
        }

        /**
         * Folds every event into the state with one function, for example a {@code switch} over a sealed
         * interface of the aggregate's events. Use either this or {@link #on} handlers, not both.
         */
        public Builder<S> evolve(BiFunction<S, Object, S> evolve) {
            this.evolve = Objects.requireNonNull(evolve, "evolve");
            return this;
        }

        /** When to write snapshots; {@link SnapshotPolicy#never()} by default. */
        public Builder<S> snapshots(SnapshotPolicy<S> policy) {
            this.snapshotPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Stores snapshots as {@code snapshotType} instead of the state itself.
         *
         * @param toSnapshot makes the snapshot of a state
         * @param fromSnapshot makes the state a snapshot stands for
         */
        public <T> Builder<S> snapshotAs(Class<T> snapshotType, Function<S, T> toSnapshot, Function<T, S> fromSnapshot) {
            this.snapshotForm = new SnapshotForm<>(Objects.requireNonNull(snapshotType, "snapshotType"),
                    Objects.requireNonNull(toSnapshot, "toSnapshot"), Objects.requireNonNull(fromSnapshot, "fromSnapshot"));
            return this;
        }

        /**
         * The aggregate type.
         *
         * @throws IllegalStateException naming what is missing or contradictory: no initial state, neither
         *     {@code on(...)} handlers nor an {@code evolve(...)} function, or both
         */
        public AggregateType<S> build() {
            List<String> problems = new ArrayList<>();
            if (initialState == null) {
                problems.add("no initial state (call initialState(...))");
            }
            if (handlers.isEmpty() && evolve == null) {
                problems.add("no way to fold events into the state (call on(...) for each event class, or evolve(...))");
            }
            if (!handlers.isEmpty() && evolve != null) {
                problems.add("both on(...) handlers and an evolve(...) function (use one or the other)");
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("Aggregate type '" + category + "' cannot be built: "
                        + String.join("; ", problems));
            }
            BiFunction<S, Object, S> evolution = evolve;
            if (evolution == null) {
                EventHandlers<S> byClass = new EventHandlers<>(handlers, category);
                evolution = (state, event) -> byClass.handlerFor(event.getClass()).apply(state, event);
            }
            return new AggregateType<>(category, stateType, Objects.requireNonNull(initialState), evolution,
                    snapshotPolicy, snapshotForm);
        }
    }
}

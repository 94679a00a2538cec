package dev.eventsourcery.eventstore.aggregate;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * Loads, creates and changes aggregates of one {@link AggregateType} in one {@link EventStore}. Thread-safe.
 *
 * <p>A command runs on the state loaded from the aggregate's stream (its latest snapshot, then the events
 * after it); the events it decides are folded into the state and appended with the version the state was
 * loaded at, so a concurrent change makes the append fail rather than be overwritten. {@link #update} then
 * reloads and decides again, up to {@link Builder#maxAttempts(int) maxAttempts} times in all. Each attempt runs
 * in the repository's {@link UnitOfWork}.
 *
 * <p>After a command appended events, the type's {@link SnapshotPolicy} is asked whether to write a snapshot
 * at the new version; the snapshot is saved once the append is committed ({@link UnitOfWork#afterCommit}). A
 * snapshot that fails (its policy, its conversion or its saving) is logged as a warning naming the aggregate and
 * version, and never fails the command: the aggregate still loads from its events.
 *
 * <p>The repository works in the tenant of its store: a tenant-scoped store's, or, over a tenant-aware store,
 * the tenant its resolver returns on each of the repository's calls to it.
 *
 * @param <S> the aggregate's state
 */
public final class AggregateRepository<S> {

    /** The default number of attempts of {@link #update}: the first and two retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private static final System.Logger LOGGER = System.getLogger(AggregateRepository.class.getName());

    private final EventStore store;
    private final AggregateType<S> type;
    private final int maxAttempts;
    private final UnitOfWork unitOfWork;

    private AggregateRepository(EventStore store, AggregateType<S> type, int maxAttempts, UnitOfWork unitOfWork) {
        this.store = store;
        this.type = type;
        this.maxAttempts = maxAttempts;
        this.unitOfWork = unitOfWork;
    }

    /** Starts building a repository of aggregates of {@code type} in {@code store}. */
    public static <S> Builder<S> builder(EventStore store, AggregateType<S> type) {
        return new Builder<>(store, type);
    }

    /**
     * A repository of aggregates of {@code type} in {@code store}, with {@value #DEFAULT_MAX_ATTEMPTS} attempts
     * per update and the {@link UnitOfWork#direct() direct} unit of work.
     */
    public static <S> AggregateRepository<S> of(EventStore store, AggregateType<S> type) {
        return builder(store, type).build();
    }

    /** The aggregate type this repository loads and changes. */
    public AggregateType<S> type() {
        return type;
    }

    /** How many times {@link #update} runs a command at most. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The aggregate as its stream holds it now; empty when the stream does not exist.
     *
     * @throws EventStoreException when the aggregate's stream is versionless, or the store fails
     */
    public Optional<Aggregate<S>> find(UUID id) {
        Objects.requireNonNull(id, "id");
        return read(id).map(loaded -> new Aggregate<>(id, loaded.state(), loaded.version()));
    }

    /**
     * The aggregate as its stream holds it now.
     *
     * @throws AggregateNotFoundException when its stream does not exist
     */
    public Aggregate<S> load(UUID id) {
        return find(id).orElseThrow(() -> new AggregateNotFoundException(type.category(), id));
    }

    /**
     * Creates an aggregate: runs the command on the type's initial state and appends what it decided to a new
     * stream (expected version 0). It is never retried: a stream that already exists is no conflict that
     * deciding again could resolve. When the command decides nothing, nothing is appended and the aggregate is
     * returned at version 0, without looking at the store.
     *
     * @return the aggregate with the command's events folded in
     * @throws ConcurrentStreamWriteException when the aggregate's stream already exists (as the store throws it)
     * @throws NullPointerException when the command decides {@code null}
     */
    public Aggregate<S> create(UUID id, Command<S> command) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(command, "command");
        return unitOfWork.run(() -> decideAndAppend(id, new Loaded<>(type.initialState(), 0, 0), command,
                new Attempt()));
    }

    /**
     * Changes an aggregate: loads it, runs the command on its state, and appends what it decided with the
     * loaded version. When another writer changed the stream in between, the append fails with a
     * {@link ConcurrentStreamWriteException}; the command then runs again on the reloaded state, in a new
     * attempt, while attempts remain and the unit of work {@linkplain UnitOfWork#canRetry() can retry}, and the
     * last conflict propagates otherwise. Only a conflict of the append itself is retried: an exception the
     * command throws, a {@code ConcurrentStreamWriteException} included, propagates at once. When the command
     * decides nothing, nothing is appended and the loaded aggregate is returned.
     *
     * @return the aggregate with the command's events folded in
     * @throws AggregateNotFoundException when the aggregate's stream does not exist
     * @throws ConcurrentStreamWriteException when the last attempt lost a race with another writer
     * @throws NullPointerException when the command decides {@code null}
     */
    public Aggregate<S> update(UUID id, Command<S> command) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(command, "command");
        for (int attempt = 1; ; attempt++) {
            Attempt current = new Attempt();
            try {
                return unitOfWork.run(() -> {
                    Loaded<S> loaded = read(id).orElseThrow(() -> new AggregateNotFoundException(type.category(), id));
                    return decideAndAppend(id, loaded, command, current);
                });
            } catch (ConcurrentStreamWriteException e) {
                if (!current.appendConflicted || attempt >= maxAttempts || !unitOfWork.canRetry()) {
                    throw e;
                }
                LOGGER.log(Level.DEBUG, () -> "Aggregate " + describe(id) + " changed while a command ran on it; "
                        + "running the command again: " + e.getMessage());
            }
        }
    }

    /** The same repository on {@code store.scopedForTenant(tenantId)}. */
    public AggregateRepository<S> scopedForTenant(TenantId tenantId) {
        return new AggregateRepository<>(store.scopedForTenant(Objects.requireNonNull(tenantId, "tenantId")), type,
                maxAttempts, unitOfWork);
    }

    /** The same repository on {@code store.scopedForTenant(TenantId.of(tenantId))}. */
    public AggregateRepository<S> scopedForTenant(String tenantId) {
        return scopedForTenant(TenantId.of(tenantId));
    }

    @Override
    public String toString() {
        return "AggregateRepository[" + type.category() + ", maxAttempts=" + maxAttempts + ", " + unitOfWork + "]";
    }

    private Optional<Loaded<S>> read(UUID id) {
        StreamId streamId = type.streamId(id);
        List<WrappedEvent<?>> entries = store.loadStream(streamId);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        S state;
        long snapshotVersion = 0;
        int first = 0;
        WrappedEvent<?> head = entries.get(0);
        if (type.isSnapshot(head.event())) {
            state = type.fromSnapshot(head.event());
            snapshotVersion = versionOf(streamId, head);
            first = 1;
        } else {
            state = type.initialState();
        }
        for (int i = first; i < entries.size(); i++) {
            state = type.evolve(state, entries.get(i).event());
        }
        return Optional.of(new Loaded<>(state, versionOf(streamId, entries.get(entries.size() - 1)), snapshotVersion));
    }

    private Aggregate<S> decideAndAppend(UUID id, Loaded<S> loaded, Command<S> command, Attempt attempt) {
        List<WrappedEvent<?>> events = Command.eventsOf(command.decide(loaded.state()), () -> describe(id));
        if (events.isEmpty()) {
            return new Aggregate<>(id, loaded.state(), loaded.version());
        }
        // folded before appending: a handler that fails leaves nothing appended
        S state = loaded.state();
        for (WrappedEvent<?> event : events) {
            state = type.evolve(state, event.event());
        }
        StreamId streamId = type.streamId(id);
        try {
            store.append(streamId, loaded.version(), events);
        } catch (ConcurrentStreamWriteException e) {
            attempt.appendConflicted = true;
            throw e;
        }
        long version = loaded.version() + events.size();
        snapshotAfterCommit(id, streamId, state, version, version - loaded.snapshotVersion());
        return new Aggregate<>(id, state, version);
    }

    private void snapshotAfterCommit(UUID id, StreamId streamId, S state, long version, long eventsSinceSnapshot) {
        WrappedEvent<?> snapshot;
        try {
            if (!type.snapshotPolicy().shouldSnapshot(state, version, eventsSinceSnapshot)) {
                return;
            }
            // made now, from the state as the command left it, in case the caller changes a mutable state later
            snapshot = WrappedEvent.wrap(type.toSnapshot(state), version);
        } catch (RuntimeException e) {
            snapshotFailed(id, version, e);
            return;
        }
        unitOfWork.afterCommit(() -> {
            try {
                store.saveSnapshot(streamId, snapshot);
            } catch (RuntimeException e) {
                snapshotFailed(id, version, e);
            }
        });
    }

    private void snapshotFailed(UUID id, long version, RuntimeException e) {
        LOGGER.log(Level.WARNING, "The snapshot of aggregate " + describe(id) + " at version " + version
                + " failed; the command succeeded, and the aggregate loads from its events", e);
    }

    private long versionOf(StreamId streamId, WrappedEvent<?> entry) {
        Long version = entry.version();
        if (version == null) {
            throw new EventStoreException("Stream " + streamId + " is versionless, so it cannot hold an aggregate of type '"
                    + type.category() + "'");
        }
        return version;
    }

    private String describe(UUID id) {
        return "'" + type.category() + "' " + id;
    }

    /** A state as loaded: the version it reflects and the version of the snapshot it started from (0: none). */
    private record Loaded<S>(S state, long version, long snapshotVersion) {
    }

    /** What one attempt of a command found out. */
    private static final class Attempt {

        /** Whether the attempt's append lost a race with another writer, which a new attempt may win. */
        volatile boolean appendConflicted;
    }

    /**
     * Builds an {@link AggregateRepository}.
     *
     * @param <S> the aggregate's state
     */
    public static final class Builder<S> {

        private final EventStore store;
        private final AggregateType<S> type;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private UnitOfWork unitOfWork = UnitOfWork.direct();

        private Builder(EventStore store, AggregateType<S> type) {
            this.store = Objects.requireNonNull(store, "store");
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * How many times {@link AggregateRepository#update} runs a command at most, the first attempt included;
         * {@value AggregateRepository#DEFAULT_MAX_ATTEMPTS} by default, 1 for no retry.
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder<S> maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("An aggregate repository needs at least 1 attempt per command, got "
                        + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Where each attempt runs; {@link UnitOfWork#direct()} by default. */
        public Builder<S> unitOfWork(UnitOfWork unitOfWork) {
            this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
            return this;
        }

        /** The repository. */
        public AggregateRepository<S> build() {
            return new AggregateRepository<>(store, type, maxAttempts, unitOfWork);
        }
    }
}

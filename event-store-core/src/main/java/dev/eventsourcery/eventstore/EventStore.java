package dev.eventsourcery.eventstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Appends events to streams and loads them back, in one tenant.
 *
 * <p>Appends are atomic: all events of a call or none. Inside a caller's transaction (on a
 * transactional backend) an append joins it; outside one it runs in its own. Every failure the store
 * signals is an {@link EventStoreException}, or an {@link IllegalArgumentException} /
 * {@link NullPointerException} for misused arguments; a refused call writes nothing.
 */
public interface EventStore {

    /**
     * Position of the newest event in the log that readers can see (in any tenant); empty when the store
     * holds none. Positions follow commit order: once a reader has seen a position, no event with a lower
     * one can become visible.
     */
    Optional<Position> position();

    /**
     * Appends events to a stream under a versioning rule.
     *
     * @throws IllegalArgumentException when {@code events} is empty, or an event carries a version other
     *     than the one it would get; and, identically on every backend, when a value could not be stored
     *     verbatim everywhere: a NUL character (U+0000) or an unpaired surrogate in the stream's name or
     *     category or anywhere in an event's JSON (PostgreSQL's {@code jsonb} cannot hold NUL, so it is
     *     refused rather than stored on some databases only), an event larger than the store's maximum
     *     event size (1 MiB by default), a {@code createdAt} outside the years 1000 to 9999, or a UUID
     *     MariaDB cannot store (see {@code StorageEventStore})
     * @throws ConcurrentStreamWriteException when the stream is not at the expected version
     * @throws VersioningMismatchException when the rule does not fit the stream (versioned or versionless)
     * @throws DuplicateEventException when an event id is already stored; an append resent after a lost
     *     acknowledgement — the same events with the same expected version — is recognised instead, and
     *     succeeds without storing anything twice
     * @throws EventSerializationException when an event cannot be serialized
     */
    void append(StreamId streamId, Versioning versioning, List<? extends WrappedEvent<?>> events);

    /** Appends events to a stream that must be exactly at {@code expectedVersion} ({@code 0}: new stream). */
    default void append(StreamId streamId, long expectedVersion, List<? extends WrappedEvent<?>> events) {
        append(streamId, Versioning.expect(expectedVersion), events);
    }

    /** Appends events to a stream that must not exist yet. */
    default void append(StreamId streamId, WrappedEvent<?> first, WrappedEvent<?>... rest) {
        append(streamId, Versioning.expect(0), list(first, rest));
    }

    /** Appends events to a stream that must be exactly at {@code expectedVersion} ({@code 0}: new stream). */
    default void append(StreamId streamId, long expectedVersion, WrappedEvent<?> first, WrappedEvent<?>... rest) {
        append(streamId, Versioning.expect(expectedVersion), list(first, rest));
    }

    /** Appends events to a stream under a versioning rule. */
    default void append(StreamId streamId, Versioning versioning, WrappedEvent<?> first, WrappedEvent<?>... rest) {
        append(streamId, versioning, list(first, rest));
    }

    /** Wraps bare events (random ids, now, empty context) and appends them at {@code expectedVersion}. */
    default void appendEvents(StreamId streamId, long expectedVersion, Object first, Object... rest) {
        appendEvents(streamId, Versioning.expect(expectedVersion), first, rest);
    }

    /** Wraps bare events (random ids, now, empty context) and appends them under a versioning rule. */
    default void appendEvents(StreamId streamId, Versioning versioning, Object first, Object... rest) {
        List<WrappedEvent<?>> wrapped = new ArrayList<>(rest.length + 1);
        wrapped.add(WrappedEvent.wrap(Objects.requireNonNull(first, "event")));
        for (Object event : rest) {
            wrapped.add(WrappedEvent.wrap(Objects.requireNonNull(event, "event")));
        }
        append(streamId, versioning, wrapped);
    }

    /** Loads a whole stream: its latest snapshot, if any, then the events after it; empty when it does not exist. */
    default List<WrappedEvent<?>> loadStream(StreamId streamId) {
        return loadStream(streamId, null, null);
    }

    /**
     * Loads the events of a stream with versions in {@code [start, stop)}, in version order. When a
     * snapshot lies in that range, the latest one comes first and only the events after it follow. A
     * stream that does not exist loads as an empty list. A versionless stream has no versions to select
     * by and always loads whole, in append order.
     *
     * @param start first version to load (inclusive), {@code null} for the beginning
     * @param stop version to stop before (exclusive), {@code null} for the end
     * @throws IllegalArgumentException when a bound is negative or {@code start > stop}
     * @throws UnknownEventTypeException when a stored type has no registered class
     */
    List<WrappedEvent<?>> loadStream(StreamId streamId, @Nullable Long start, @Nullable Long stop);

    /** Removes a stream with its events and snapshots, in this tenant only; no-op when it does not exist. */
    void deleteStream(StreamId streamId);

    /**
     * Stores a snapshot of a stream: a {@link WrappedEvent} whose version is the stream version it summarises.
     *
     * @throws InvalidSnapshotException when the stream does not exist, is versionless, or the version is not
     *     between 1 and the stream's current version
     */
    void saveSnapshot(StreamId streamId, WrappedEvent<?> snapshot);

    /**
     * Starts describing a subscription to the log, in this store's tenant (resolved now, once) unless
     * {@link SubscriptionBuilder#inAllTenants()} widens it.
     */
    SubscriptionBuilder subscribe();

    /** A view of this store bound to one tenant. */
    EventStore scopedForTenant(TenantId tenantId);

    /** A view of this store bound to {@code TenantId.of(tenantId)}. */
    default EventStore scopedForTenant(String tenantId) {
        return scopedForTenant(TenantId.of(tenantId));
    }

    /** A view of this store bound to the default, tenant-less context. */
    default EventStore scopedForTenant() {
        return scopedForTenant(TenantId.DEFAULT);
    }

    private static List<WrappedEvent<?>> list(WrappedEvent<?> first, WrappedEvent<?>[] rest) {
        List<WrappedEvent<?>> events = new ArrayList<>(rest.length + 1);
        events.add(Objects.requireNonNull(first, "event"));
        for (WrappedEvent<?> event : rest) {
            events.add(Objects.requireNonNull(event, "event"));
        }
        return events;
    }
}

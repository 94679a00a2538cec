package dev.eventsourcery.eventstore.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;

/**
 * The storage SPI: what a backend implements so that {@link StorageEventStore} can run on it. Arguments
 * arrive validated and serialized; a backend keeps every stream, event and snapshot under its tenant
 * and never lets a call in one tenant read or change another's.
 *
 * <p>Streams are keyed by tenant, {@link StreamId#uuid()} and {@link StreamId#category()}. A backend
 * signals conflicts as {@link ConcurrentStreamWriteException} and duplicate event ids as
 * {@link DuplicateEventException}, never as its own exception types.
 *
 * <p>Every stored event has a position in one log of the whole store, in commit order; see
 * {@link #readLog(LogQuery)}.
 */
public interface EventStorage {

    /**
     * Appends events atomically, all or none. The backend reads the stream's {@link StreamState}, asks
     * {@link StreamState#admit(Versioning, TenantId, StreamId, List, StreamState.StoredVersions)} for the
     * version to append after, gives the i-th event version {@code admitted + i + 1} (or none, for
     * {@link Versioning#NO_VERSIONING}), and stores them; once committed, they take their place in the log, in
     * append order within the stream and after every event already visible; a
     * concurrent writer that changed the stream in between must make this call fail with
     * {@link ConcurrentStreamWriteException} (expected versions) or be waited for ({@link Versioning#ANY}).
     * When the rules answer {@link Admission#ALREADY_STORED} (a retry of a stored append), the backend
     * returns without writing. A backend that detects a conflict by other means asks
     * {@link StreamState#recogniseRetry} before reporting it.
     *
     * @param events the events, with {@code null} versions, ids distinct from one another
     * @throws DuplicateEventException when an event id is already stored
     */
    void append(TenantId tenantId, StreamId streamId, Versioning versioning, List<EventRecord> events);

    /**
     * Reads a stream: the latest snapshot whose version lies in {@code [start, stop)}, and the events with
     * versions in that range after the snapshot's version (all in range, without a snapshot), in version
     * order. A versionless stream's events are all returned, in append order, whatever the bounds. A
     * missing stream reads as {@link StreamSlice#EMPTY}.
     *
     * @param start lowest version (inclusive), {@code null} for none
     * @param stop version to stop before (exclusive), {@code null} for none
     */
    StreamSlice read(TenantId tenantId, StreamId streamId, @Nullable Long start, @Nullable Long stop);

    /**
     * The stream's version: the version of its last event; {@code 0} when it does not exist or is versionless.
     * Inside the transaction of an append, the version that append left.
     */
    long version(TenantId tenantId, StreamId streamId);

    /** Removes a stream, its events and its snapshots; no-op when it does not exist. */
    void delete(TenantId tenantId, StreamId streamId);

    /**
     * Stores a snapshot after checking it with {@link StreamState#admitSnapshot}; a later snapshot of the
     * same version replaces the earlier one.
     *
     * @param snapshot the snapshot, with its version
     */
    void saveSnapshot(TenantId tenantId, StreamId streamId, EventRecord snapshot);

    /**
     * The highest position of an event readers can see, in any tenant; empty when there is none. An event
     * appended by the calling thread, once committed, is visible to it.
     */
    Optional<Position> position();

    /**
     * Reads the log: the committed events after {@code query.after()} that match its filters, in position
     * order. Positions follow commit order: once a read has returned position {@code p}, no later read
     * returns an event below {@code p} that an earlier one did not. Events of deleted streams are gone.
     * Runs outside any caller's transaction.
     */
    LogPage readLog(LogQuery query);

    /**
     * Waits until the log may have grown beyond {@code head}, at most {@code timeLimit}. Returns early on new
     * events (appended in this process at once, by other processes within the backend's polling interval),
     * and may return early without any.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void awaitLog(long head, Duration timeLimit) throws InterruptedException;
}

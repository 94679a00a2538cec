package dev.eventsourcery.eventstore.storage.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.storage.Admission;
import dev.eventsourcery.eventstore.storage.EventRecord;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.LogPage;
import dev.eventsourcery.eventstore.storage.LogQuery;
import dev.eventsourcery.eventstore.storage.LogRecord;
import dev.eventsourcery.eventstore.storage.StreamSlice;
import dev.eventsourcery.eventstore.storage.StreamState;

/**
 * Keeps streams in memory, serialized as the database backends keep them, so that serialization bugs
 * show up here too. It is the reference model: the database backends must behave exactly like it.
 *
 * <p>Thread-safe: writes are serialized by one lock, reads share it. Streams are keyed by (tenant,
 * uuid, category); event ids are unique across the whole store, as a database's unique constraint
 * makes them. An append takes its positions in the log under the write lock, so the log is in commit
 * order by construction; positions are never reused, also after a delete.
 */
public final class InMemoryEventStorage implements EventStorage {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<StreamKey, MemoryStream> streams = new HashMap<>();
    private final Set<UUID> eventIds = new HashSet<>();
    private final NavigableMap<Long, LogRecord> log = new TreeMap<>();
    private final Object appended = new Object();
    private volatile long lastPosition;

    @Override
    public void append(TenantId tenantId, StreamId streamId, Versioning versioning, List<EventRecord> events) {
        Lock write = lock.writeLock();
        write.lock();
        try {
            StreamKey key = StreamKey.of(tenantId, streamId);
            MemoryStream stream = streams.get(key);
            StreamState state = stream == null ? StreamState.absent() : stream.state();
            MemoryStream current = stream;
            Admission admission = state.admit(versioning, tenantId, streamId, events,
                    ids -> current == null ? Map.of() : current.versionsOf(ids));
            if (!(admission instanceof Admission.Append append)) {
                return;
            }
            long base = append.base();
            for (EventRecord event : events) {
                if (eventIds.contains(event.uuid())) {
                    throw new DuplicateEventException("Event " + event.uuid() + " is already stored");
                }
            }
            boolean versioned = StreamState.storesVersions(versioning);
            if (stream == null) {
                stream = new MemoryStream(streamId, versioned);
                streams.put(key, stream);
            }
            for (int i = 0; i < events.size(); i++) {
                EventRecord event = events.get(i).withVersion(versioned ? base + i + 1 : null);
                long position = lastPosition + 1;
                stream.events.add(new StoredEvent(event, position));
                eventIds.add(event.uuid());
                log.put(position, new LogRecord(position, tenantId, stream.streamId, event));
                lastPosition = position;
            }
            if (versioned) {
                stream.version = base + events.size();
            }
        } finally {
            write.unlock();
        }
        synchronized (appended) {
            appended.notifyAll();
        }
    }

    @Override
    public long version(TenantId tenantId, StreamId streamId) {
        Lock read = lock.readLock();
        read.lock();
        try {
            MemoryStream stream = streams.get(StreamKey.of(tenantId, streamId));
            return stream == null ? 0 : stream.state().version();
        } finally {
            read.unlock();
        }
    }

    @Override
    public StreamSlice read(TenantId tenantId, StreamId streamId, @Nullable Long start, @Nullable Long stop) {
        Lock read = lock.readLock();
        read.lock();
        try {
            MemoryStream stream = streams.get(StreamKey.of(tenantId, streamId));
            if (stream == null) {
                return StreamSlice.EMPTY;
            }
            if (!stream.versioned) {
                return new StreamSlice(null, stream.events.stream().map(StoredEvent::record).toList());
            }
            long from = start == null ? 1 : start;
            long to = stop == null ? Long.MAX_VALUE : stop;
            EventRecord snapshot = null;
            if (from < to) {
                Map.Entry<Long, EventRecord> latest = stream.snapshots.subMap(from, true, to, false).lastEntry();
                if (latest != null) {
                    snapshot = latest.getValue();
                    from = latest.getKey() + 1;
                }
            }
            List<EventRecord> events = new ArrayList<>();
            for (StoredEvent stored : stream.events) {
                long version = stored.record().version();
                if (version >= from && version < to) {
                    events.add(stored.record());
                }
            }
            return new StreamSlice(snapshot, events);
        } finally {
            read.unlock();
        }
    }

    @Override
    public void delete(TenantId tenantId, StreamId streamId) {
        Lock write = lock.writeLock();
        write.lock();
        try {
            MemoryStream removed = streams.remove(StreamKey.of(tenantId, streamId));
            if (removed != null) {
                for (StoredEvent stored : removed.events) {
                    eventIds.remove(stored.record().uuid());
                    log.remove(stored.position());
                }
            }
        } finally {
            write.unlock();
        }
    }

    @Override
    public void saveSnapshot(TenantId tenantId, StreamId streamId, EventRecord snapshot) {
        Lock write = lock.writeLock();
        write.lock();
        try {
            MemoryStream stream = streams.get(StreamKey.of(tenantId, streamId));
            long version = snapshot.version() == null ? 0 : snapshot.version();
            StreamState state = stream == null ? StreamState.absent() : stream.state();
            state.admitSnapshot(version, tenantId, streamId);
            stream.snapshots.put(version, snapshot);
        } finally {
            write.unlock();
        }
    }

    @Override
    public Optional<Position> position() {
        Lock read = lock.readLock();
        read.lock();
        try {
            return log.isEmpty() ? Optional.empty() : Optional.of(new Position(log.lastKey()));
        } finally {
            read.unlock();
        }
    }

    @Override
    public LogPage readLog(LogQuery query) {
        Lock read = lock.readLock();
        read.lock();
        try {
            List<LogRecord> records = new ArrayList<>();
            for (LogRecord record : log.tailMap(query.after(), false).values()) {
                if (query.matches(record.tenantId(), record.streamId().category(), record.event().type())) {
                    records.add(record);
                    if (records.size() == query.limit()) {
                        break;
                    }
                }
            }
            return new LogPage(records, lastPosition);
        } finally {
            read.unlock();
        }
    }

    @Override
    public void awaitLog(long head, Duration timeLimit) throws InterruptedException {
        long deadline = System.nanoTime() + timeLimit.toNanos();
        synchronized (appended) {
            while (lastPosition <= head) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(appended, remaining);
            }
        }
    }

    private record StreamKey(TenantId tenantId, UUID uuid, @Nullable String category) {
        static StreamKey of(TenantId tenantId, StreamId streamId) {
            return new StreamKey(tenantId, streamId.uuid(), streamId.category());
        }
    }

    private record StoredEvent(EventRecord record, long position) {
    }

    private static final class MemoryStream {
        final StreamId streamId;
        final boolean versioned;
        long version;
        final List<StoredEvent> events = new ArrayList<>();
        final NavigableMap<Long, EventRecord> snapshots = new TreeMap<>();

        /** A stream created by an append to {@code streamId}: the log names it so, with its name if it had one. */
        MemoryStream(StreamId streamId, boolean versioned) {
            this.streamId = streamId;
            this.versioned = versioned;
        }

        StreamState state() {
            return versioned ? StreamState.versionedAt(version) : StreamState.versionless();
        }

        Map<UUID, Long> versionsOf(Collection<UUID> ids) {
            Map<UUID, Long> found = new HashMap<>();
            for (StoredEvent stored : events) {
                if (ids.contains(stored.record().uuid()) && stored.record().version() != null) {
                    found.put(stored.record().uuid(), stored.record().version());
                }
            }
            return found;
        }
    }
}

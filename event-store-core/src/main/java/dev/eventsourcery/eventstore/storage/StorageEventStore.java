package dev.eventsourcery.eventstore.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.InvalidSnapshotException;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.TenantResolver;
import dev.eventsourcery.eventstore.UnknownEventTypeException;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.serialization.EventSerializer;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.JacksonEventSerializer;

/**
 * The {@link EventStore} over any {@link EventStorage}: validates arguments, checks pre-versioned
 * events, serializes and deserializes, resolves event types, and hands the backend serialized
 * records. Everything is checked and serialized before the backend is called, so a refused call writes
 * nothing.
 *
 * <p>The store works in the tenant its {@link TenantResolver} returns, asked on every call;
 * {@link #scopedForTenant(TenantId)} gives a view pinned to one tenant. Thread-safe when the backend is.
 *
 * <h2>What every backend stores verbatim</h2>
 * So that a loaded event equals the appended one on every backend, or the append is refused on every
 * backend alike, the store refuses with an {@link IllegalArgumentException}, before anything is written:
 * <ul>
 *   <li>a NUL character (U+0000) or an unpaired surrogate in a stream's name or category, or anywhere in an
 *       event's or snapshot's JSON (payload strings, context attribute names and values): PostgreSQL
 *       cannot store NUL in text or {@code jsonb}, and no database can encode an unpaired surrogate;</li>
 *   <li>an event whose serialized payload and context together are larger than the maximum event size
 *       ({@link Builder#maxEventSize(long)}, 1 MiB by default), measured in UTF-8 bytes;</li>
 *   <li>a {@code createdAt} outside the years 1000 to 9999 (UTC), the range every supported database keeps;</li>
 *   <li>a stream, event or snapshot UUID of version 8 to 15 whose first clock sequence byte is between 0x01
 *       and 0x80, which MariaDB's {@code uuid} type refuses; {@link UUID#randomUUID()}, named streams and
 *       {@link StreamId#of(long)} never produce one;</li>
 *   <li>an expected version so large that the appended events' versions would overflow a {@code long}.</li>
 * </ul>
 * Every other character — quotes, SQL and JSON metacharacters, characters outside the Basic Multilingual
 * Plane — is stored and loaded back exactly as given.
 */
public final class StorageEventStore implements EventStore {

    /** The default maximum event size: 1 MiB. */
    public static final long DEFAULT_MAX_EVENT_SIZE = 1024 * 1024;

    /** Earliest {@code createdAt} every supported database stores (MariaDB's {@code datetime} starts here). */
    private static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");

    /** Latest {@code createdAt} every supported database stores. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final EventStorage storage;
    private final EventTypeRegistry registry;
    private final EventSerializer serializer;
    private final TenantResolver tenantResolver;
    private final long maxEventSize;

    private StorageEventStore(EventStorage storage, EventTypeRegistry registry, EventSerializer serializer,
            TenantResolver tenantResolver, long maxEventSize) {
        this.storage = storage;
        this.registry = registry;
        this.serializer = serializer;
        this.tenantResolver = tenantResolver;
        this.maxEventSize = maxEventSize;
    }

    /** Starts building a store over the given backend. */
    public static Builder builder(EventStorage storage) {
        return new Builder(storage);
    }

    @Override
    public Optional<Position> position() {
        return storage.position();
    }

    @Override
    public void append(StreamId streamId, Versioning versioning, List<? extends WrappedEvent<?>> events) {
        checkStreamId(streamId);
        Objects.requireNonNull(versioning, "versioning");
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("Cannot append an empty list of events to stream " + streamId);
        }
        if (versioning instanceof Versioning.Expected expected && expected.version() > Long.MAX_VALUE - events.size()) {
            throw new IllegalArgumentException("Expected version " + expected.version() + " of stream " + streamId
                    + " leaves no room for " + events.size() + " more event(s): versions would overflow a long");
        }
        TenantId tenantId = tenant();
        Set<UUID> uuids = new HashSet<>();
        for (WrappedEvent<?> event : events) {
            Objects.requireNonNull(event, "event");
            if (!uuids.add(event.uuid())) {
                throw new DuplicateEventException("Event " + event.uuid() + " appears twice in one append to stream "
                        + streamId);
            }
        }
        Versioning effective = checkCarriedVersions(streamId, versioning, events);
        List<EventRecord> records = new ArrayList<>(events.size());
        for (WrappedEvent<?> event : events) {
            records.add(serialize(streamId, event, null));
        }
        if (effective == versioning) {
            storage.append(tenantId, streamId, versioning, records);
            return;
        }
        try {
            storage.append(tenantId, streamId, effective, records);
        } catch (ConcurrentStreamWriteException e) {
            throw new IllegalArgumentException("Events appended to stream " + streamId + " with Versioning.ANY carry "
                    + "versions from " + (((Versioning.Expected) effective).version() + 1)
                    + ", which are not the versions they would get: " + e.getMessage(), e);
        }
    }

    /**
     * Checks the versions that pre-versioned events carry against the ones they will get. With
     * {@link Versioning#ANY} those versions pin the stream's current version, so the append is turned
     * into one with that expected version (a mismatch then is a wrong carried version, not a conflict).
     */
    private static Versioning checkCarriedVersions(StreamId streamId, Versioning versioning,
            List<? extends WrappedEvent<?>> events) {
        Long base = null;
        for (int i = 0; i < events.size(); i++) {
            Long carried = events.get(i).version();
            if (carried == null) {
                continue;
            }
            if (versioning instanceof Versioning.NoVersioning) {
                throw new IllegalArgumentException("Event " + i + " appended to versionless stream " + streamId
                        + " carries version " + carried + "; events of versionless streams have none");
            }
            if (versioning instanceof Versioning.Expected expected) {
                long expectedVersion = expected.version() + i + 1;
                if (carried != expectedVersion) {
                    throw new IllegalArgumentException("Event " + i + " appended to stream " + streamId
                            + " carries version " + carried + " but would get version " + expectedVersion);
                }
                continue;
            }
            long implied = carried - i - 1;
            if (implied < 0 || (base != null && implied != base)) {
                throw new IllegalArgumentException("Event " + i + " appended to stream " + streamId + " carries version "
                        + carried + ", which does not follow the versions of the events before it");
            }
            base = implied;
        }
        return base == null ? versioning : Versioning.expect(base);
    }

    @Override
    public List<WrappedEvent<?>> loadStream(StreamId streamId, @Nullable Long start, @Nullable Long stop) {
        checkStreamId(streamId);
        if (start != null && start < 0) {
            throw new IllegalArgumentException("start must not be negative, got " + start);
        }
        if (stop != null && stop < 0) {
            throw new IllegalArgumentException("stop must not be negative, got " + stop);
        }
        if (start != null && stop != null && start > stop) {
            throw new IllegalArgumentException("start (" + start + ") must not be greater than stop (" + stop + ")");
        }
        StreamSlice slice = storage.read(tenant(), streamId, start, stop);
        List<WrappedEvent<?>> events = new ArrayList<>(slice.events().size() + 1);
        if (slice.snapshot() != null) {
            events.add(deserialize(streamId, slice.snapshot()));
        }
        for (EventRecord record : slice.events()) {
            events.add(deserialize(streamId, record));
        }
        return events;
    }

    @Override
    public void deleteStream(StreamId streamId) {
        checkStreamId(streamId);
        storage.delete(tenant(), streamId);
    }

    @Override
    public void saveSnapshot(StreamId streamId, WrappedEvent<?> snapshot) {
        checkStreamId(streamId);
        Objects.requireNonNull(snapshot, "snapshot");
        Long version = snapshot.version();
        if (version == null) {
            throw new InvalidSnapshotException("A snapshot of stream " + streamId
                    + " must carry the version of the stream it summarises");
        }
        if (version < 1) {
            throw new InvalidSnapshotException("Snapshot version " + version + " of stream " + streamId
                    + " must be 1 or more");
        }
        TenantId tenantId = tenant();
        storage.saveSnapshot(tenantId, streamId, serialize(streamId, snapshot, version));
    }

    @Override
    public EventStore scopedForTenant(TenantId tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return new StorageEventStore(storage, registry, serializer, () -> tenantId, maxEventSize);
    }

    /** The type registry this store resolves event classes with. */
    public EventTypeRegistry registry() {
        return registry;
    }

    private TenantId tenant() {
        return Objects.requireNonNull(tenantResolver.currentTenant(), "TenantResolver returned null");
    }

    /** Refuses stream ids whose uuid, name or category not every backend could store verbatim. */
    private static void checkStreamId(StreamId streamId) {
        Objects.requireNonNull(streamId, "streamId");
        checkUuid("Stream " + streamId + " has uuid", streamId.uuid());
        checkText("name", streamId.name());
        checkText("category", streamId.category());
    }

    private static void checkUuid(String whose, UUID uuid) {
        String problem = PortableValues.problemInUuid(uuid);
        if (problem != null) {
            throw new IllegalArgumentException(whose + " " + uuid + " of " + problem + ": not every backend can store it");
        }
    }

    private static void checkText(String what, @Nullable String text) {
        String problem = text == null ? null : PortableValues.problemInText(text);
        if (problem != null) {
            throw new IllegalArgumentException("Stream " + what + " '" + PortableValues.printable(text) + "' contains "
                    + problem + ", which not every backend can store");
        }
    }

    private EventRecord serialize(StreamId streamId, WrappedEvent<?> event, @Nullable Long version) {
        Class<?> type = event.event().getClass();
        String typeName = registry.typeNameOf(type);
        checkUuid((version == null ? "Event" : "Snapshot") + " for stream " + streamId + " has id", event.uuid());
        if (event.createdAt().isBefore(EARLIEST) || event.createdAt().isAfter(LATEST)) {
            throw new IllegalArgumentException("Event " + event.uuid() + " of type '" + typeName + "' for stream "
                    + streamId + " was created at " + event.createdAt() + ", outside the years 1000 to 9999 (UTC) "
                    + "that every backend stores");
        }
        String payload;
        try {
            payload = serializer.serialize(event.event());
        } catch (RuntimeException e) {
            throw new EventSerializationException("Cannot serialize event " + event.uuid() + " of type '" + typeName
                    + "' (" + type.getName() + ") for stream " + streamId + ": " + e.getMessage(), e);
        }
        String context;
        try {
            context = serializer.serializeContext(event.context());
        } catch (RuntimeException e) {
            throw new EventSerializationException("Cannot serialize the context of event " + event.uuid()
                    + " of type '" + typeName + "' for stream " + streamId + ": " + e.getMessage(), e);
        }
        String problem = PortableValues.problemInJson(payload);
        if (problem != null) {
            throw new IllegalArgumentException("Event " + event.uuid() + " of type '" + typeName + "' for stream "
                    + streamId + " has " + problem + " in its JSON payload, which not every backend can store: "
                    + abbreviated(payload));
        }
        problem = PortableValues.problemInJson(context);
        if (problem != null) {
            throw new IllegalArgumentException("Event " + event.uuid() + " of type '" + typeName + "' for stream "
                    + streamId + " has " + problem + " in its JSON context, which not every backend can store: "
                    + abbreviated(context));
        }
        if (version == null) {
            // snapshots summarise whole aggregates and are exempt; the limit guards the event log
            long size = PortableValues.utf8Length(payload) + PortableValues.utf8Length(context);
            if (size > maxEventSize) {
                throw new IllegalArgumentException("Event " + event.uuid() + " of type '" + typeName + "' for stream "
                        + streamId + " is " + size + " bytes serialized (payload and context), over the maximum "
                        + "event size of " + maxEventSize + " bytes");
            }
        }
        return new EventRecord(event.uuid(), version, typeName, payload, context, event.createdAt());
    }

    private static String abbreviated(String json) {
        String printable = PortableValues.printable(json);
        return printable.length() <= 200 ? printable : printable.substring(0, 200) + "…";
    }

    private WrappedEvent<?> deserialize(StreamId streamId, EventRecord record) {
        Class<?> type = registry.classOf(record.type())
                .orElseThrow(() -> new UnknownEventTypeException(record.type(), streamId, record.version()));
        Object event;
        Context context;
        try {
            event = serializer.deserialize(record.payload(), type);
            context = serializer.deserializeContext(record.context());
        } catch (EventStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EventSerializationException("Cannot deserialize event " + record.uuid() + " of type '"
                    + record.type() + "' (" + type.getName() + ") in stream " + streamId + " at version "
                    + (record.version() == null ? "(versionless)" : record.version()) + ": " + e.getMessage(), e);
        }
        return new WrappedEvent<>(event, record.version(), record.uuid(), record.createdAt(), context);
    }

    /** Builds a {@link StorageEventStore}. */
    public static final class Builder {

        private final EventStorage storage;
        private EventTypeRegistry registry = new EventTypeRegistry();
        private EventSerializer serializer = new JacksonEventSerializer();
        private TenantResolver tenantResolver = () -> TenantId.DEFAULT;
        private long maxEventSize = DEFAULT_MAX_EVENT_SIZE;

        private Builder(EventStorage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
        }

        /** The registry of event types; a new, empty one by default. */
        public Builder registry(EventTypeRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The serializer; {@link JacksonEventSerializer} on its default mapper by default. */
        public Builder serializer(EventSerializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /** Where the store takes its tenant from on every call; {@link TenantId#DEFAULT} by default. */
        public Builder tenantResolver(TenantResolver tenantResolver) {
            this.tenantResolver = Objects.requireNonNull(tenantResolver, "tenantResolver");
            return this;
        }

        /**
         * The largest event an append accepts, in bytes: its serialized payload and context together, in
         * UTF-8; {@value StorageEventStore#DEFAULT_MAX_EVENT_SIZE} (1 MiB) by default. A larger event is
         * refused with an {@link IllegalArgumentException} before anything is written. Snapshots are not
         * limited.
         *
         * @throws IllegalArgumentException when the size is not positive
         */
        public Builder maxEventSize(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("The maximum event size must be positive, got " + bytes);
            }
            this.maxEventSize = bytes;
            return this;
        }

        /** The store. */
        public StorageEventStore build() {
            return new StorageEventStore(storage, registry, serializer, tenantResolver, maxEventSize);
        }
    }
}

package dev.eventsourcery.eventstore.storage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.DuplicateEventTypeException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.InvalidSnapshotException;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.SubscriptionBuilder;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.TenantResolver;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.serialization.EventSerializer;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.EventUpcasters;
import dev.eventsourcery.eventstore.serialization.JacksonEventSerializer;

/**
 * The {@link EventStore} over any {@link EventStorage}: the API's rules. Arguments are checked, and
 * events turned into the records the backend stores, before the backend is called, so a refused call
 * writes nothing; the backend applies the versioning rules of {@link StreamState}.
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
 *       and 0x80, which MariaDB's {@code uuid} type refuses; {@code UUID.randomUUID()}, named streams and
 *       {@link StreamId#of(long)} never produce one;</li>
 *   <li>an expected version so large that the appended events' versions would overflow a {@code long}.</li>
 * </ul>
 * Every other character — quotes, SQL and JSON metacharacters, characters outside the Basic Multilingual
 * Plane — is stored and loaded back exactly as given.
 */
public final class StorageEventStore implements EventStore {

    /** The default maximum event size: 1 MiB. */
    public static final long DEFAULT_MAX_EVENT_SIZE = 1024 * 1024;

    private final EventStorage storage;
    private final EventTypeRegistry registry;
    private final EventUpcasters upcasters;
    private final EventRecords records;
    private final TenantResolver tenantResolver;
    private final AppendInterceptor interceptor;

    private StorageEventStore(EventStorage storage, EventTypeRegistry registry, EventUpcasters upcasters,
            EventRecords records, TenantResolver tenantResolver, AppendInterceptor interceptor) {
        this.storage = storage;
        this.registry = registry;
        this.upcasters = upcasters;
        this.records = records;
        this.tenantResolver = tenantResolver;
        this.interceptor = interceptor;
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
        Arguments.checkStreamId(streamId);
        Arguments.checkAppend(streamId, versioning, events);
        TenantId tenantId = tenant();
        Versioning effective = Arguments.checkCarriedVersions(streamId, versioning, events);
        List<EventRecord> stored = new ArrayList<>(events.size());
        for (WrappedEvent<?> event : events) {
            stored.add(records.toRecord(streamId, event, null));
        }
        if (interceptor == AppendInterceptor.NONE) {
            store(tenantId, streamId, versioning, effective, stored);
            return;
        }
        PendingAppend append = new PendingAppend(tenantId, streamId, versioning, effective, events, stored);
        interceptor.intercept(append);
        if (!append.proceeded) {
            throw new IllegalStateException("The append interceptor " + interceptor + " did not append to stream "
                    + streamId);
        }
    }

    private void store(TenantId tenantId, StreamId streamId, Versioning versioning, Versioning effective,
            List<EventRecord> stored) {
        if (effective == versioning) {
            storage.append(tenantId, streamId, versioning, stored);
            return;
        }
        try {
            storage.append(tenantId, streamId, effective, stored);
        } catch (TransientStreamWriteException e) {
            // the database gave up on a lock before comparing versions: a conflict, not a wrong carried version
            throw e;
        } catch (ConcurrentStreamWriteException e) {
            throw new IllegalArgumentException("Events appended to stream " + streamId + " with Versioning.ANY carry "
                    + "versions from " + (((Versioning.Expected) effective).version() + 1)
                    + ", which are not the versions they would get: " + e.getMessage(), e);
        }
    }

    @Override
    public List<WrappedEvent<?>> loadStream(StreamId streamId, @Nullable Long start, @Nullable Long stop) {
        Arguments.checkStreamId(streamId);
        Arguments.checkBounds(start, stop);
        StreamSlice slice = storage.read(tenant(), streamId, start, stop);
        List<WrappedEvent<?>> events = new ArrayList<>(slice.events().size() + 1);
        if (slice.snapshot() != null) {
            events.add(records.toEvent(streamId, slice.snapshot()));
        }
        for (EventRecord record : slice.events()) {
            events.add(records.toEvent(streamId, record));
        }
        return events;
    }

    @Override
    public void deleteStream(StreamId streamId) {
        Arguments.checkStreamId(streamId);
        storage.delete(tenant(), streamId);
    }

    @Override
    public void saveSnapshot(StreamId streamId, WrappedEvent<?> snapshot) {
        Arguments.checkStreamId(streamId);
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
        storage.saveSnapshot(tenantId, streamId, records.toRecord(streamId, snapshot, version));
    }

    @Override
    public SubscriptionBuilder subscribe() {
        return new Subscriptions(tenant());
    }

    @Override
    public EventStore scopedForTenant(TenantId tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return new StorageEventStore(storage, registry, upcasters, records, () -> tenantId, interceptor);
    }

    /** The type registry this store resolves event classes with. */
    public EventTypeRegistry registry() {
        return registry;
    }

    private TenantId tenant() {
        return Objects.requireNonNull(tenantResolver.currentTenant(), "TenantResolver returned null");
    }

    /** An accepted append, run by the {@link AppendInterceptor}. */
    private final class PendingAppend implements AppendInterceptor.Append {

        private final TenantId tenantId;
        private final StreamId streamId;
        private final Versioning versioning;
        private final Versioning effective;
        private final List<? extends WrappedEvent<?>> events;
        private final List<EventRecord> stored;
        private boolean proceeded;

        PendingAppend(TenantId tenantId, StreamId streamId, Versioning versioning, Versioning effective,
                List<? extends WrappedEvent<?>> events, List<EventRecord> stored) {
            this.tenantId = tenantId;
            this.streamId = streamId;
            this.versioning = versioning;
            this.effective = effective;
            this.events = events;
            this.stored = stored;
        }

        @Override
        public TenantId tenantId() {
            return tenantId;
        }

        @Override
        public StreamId streamId() {
            return streamId;
        }

        @Override
        public void proceed() {
            if (proceeded) {
                throw new IllegalStateException("The append to stream " + streamId + " has already run");
            }
            proceeded = true;
            store(tenantId, streamId, versioning, effective, stored);
        }

        @Override
        public List<? extends WrappedEvent<?>> events() {
            return events;
        }

        @Override
        public List<WrappedEvent<?>> appended() {
            if (!proceeded) {
                throw new IllegalStateException("The append to stream " + streamId + " has not run yet");
            }
            if (effective instanceof Versioning.NoVersioning) {
                return List.copyOf(events);
            }
            long base = effective instanceof Versioning.Expected expected ? expected.version()
                    : storage.version(tenantId, streamId) - events.size();
            List<WrappedEvent<?>> appended = new ArrayList<>(events.size());
            for (WrappedEvent<?> event : events) {
                appended.add(event.withVersion(++base));
            }
            return appended;
        }
    }

    /** Describes a subscription in the tenant resolved when {@link #subscribe()} was called. */
    private final class Subscriptions implements SubscriptionBuilder {

        private @Nullable TenantId tenant;
        private @Nullable Position after;
        private @Nullable String category;
        private @Nullable Set<String> types;
        private @Nullable Set<Class<?>> classes;

        Subscriptions(TenantId tenant) {
            this.tenant = tenant;
        }

        @Override
        public SubscriptionBuilder after(Position checkpoint) {
            this.after = Objects.requireNonNull(checkpoint, "checkpoint");
            return this;
        }

        @Override
        public SubscriptionBuilder toCategory(String category) {
            // the same rules as a stream's category, so that every category a stream can have can be subscribed to
            this.category = StreamId.random().withCategory(Objects.requireNonNull(category, "category")).category();
            return this;
        }

        @Override
        public SubscriptionBuilder toEvents(Class<?>... eventTypes) {
            Objects.requireNonNull(eventTypes, "eventTypes");
            if (eventTypes.length == 0) {
                throw new IllegalArgumentException("A subscription to events needs at least one event class");
            }
            Set<String> names = new HashSet<>();
            Set<Class<?>> requested = new HashSet<>();
            for (Class<?> type : eventTypes) {
                Objects.requireNonNull(type, "eventType");
                try {
                    names.addAll(registry.typeNamesOf(type));
                } catch (DuplicateEventTypeException e) {
                    throw new IllegalArgumentException("Event class " + type.getName() + " cannot be subscribed to: "
                            + e.getMessage(), e);
                }
                requested.add(type);
            }
            // events stored under older names that upcasters rename into these are read as these classes; which
            // events under those names are, the subscription decides by their schema versions as it reads them
            this.types = upcasters.typeNamesReadAs(names);
            this.classes = requested;
            return this;
        }

        @Override
        public SubscriptionBuilder inAllTenants() {
            this.tenant = null;
            return this;
        }

        @Override
        public Subscription build() {
            return new StorageSubscription(storage, records, after, tenant, category, types, classes);
        }
    }

    /** Builds a {@link StorageEventStore}. */
    public static final class Builder {

        private final EventStorage storage;
        private EventTypeRegistry registry = new EventTypeRegistry();
        private EventSerializer serializer = new JacksonEventSerializer();
        private TenantResolver tenantResolver = () -> TenantId.DEFAULT;
        private long maxEventSize = DEFAULT_MAX_EVENT_SIZE;
        private AppendInterceptor interceptor = AppendInterceptor.NONE;
        private EventUpcasters upcasters = EventUpcasters.NONE;

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

        /**
         * The upcasters stored events pass through when they are read, by {@code loadStream} and by
         * subscriptions; none by default.
         */
        public Builder upcasters(EventUpcasters upcasters) {
            this.upcasters = Objects.requireNonNull(upcasters, "upcasters");
            return this;
        }

        /** What runs around every accepted append, its tenant views' included; none by default. */
        public Builder appendInterceptor(AppendInterceptor interceptor) {
            this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
            return this;
        }

        /** The store. */
        public StorageEventStore build() {
            return new StorageEventStore(storage, registry, upcasters,
                    new EventRecords(registry, serializer, upcasters, maxEventSize), tenantResolver, interceptor);
        }
    }
}

package dev.eventsourcery.eventstore.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.UnknownEventTypeException;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.serialization.AmbiguousEventTypeException;
import dev.eventsourcery.eventstore.serialization.EventSerializer;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.EventUpcasters;
import dev.eventsourcery.eventstore.serialization.Upcaster;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns envelopes into the records a backend stores and back: the type name from the registry, payload
 * and context as JSON, and the checks that keep every stored value loadable, unchanged, on every backend
 * (see {@link StorageEventStore}).
 */
final class EventRecords {

    /** Earliest {@code createdAt} every supported database stores (MariaDB's {@code datetime} starts here). */
    private static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");

    /** Latest {@code createdAt} every supported database stores. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final EventTypeRegistry registry;
    private final EventSerializer serializer;
    private final EventUpcasters upcasters;
    private final long maxEventSize;

    EventRecords(EventTypeRegistry registry, EventSerializer serializer, EventUpcasters upcasters, long maxEventSize) {
        this.registry = registry;
        this.serializer = serializer;
        this.upcasters = upcasters;
        this.maxEventSize = maxEventSize;
    }

    /**
     * The record of an event to append ({@code snapshotVersion == null}) or of a snapshot.
     *
     * @throws IllegalArgumentException when a value could not be stored verbatim on every backend, or the
     *     event is over the maximum event size
     * @throws EventSerializationException when the event or its context cannot be written as JSON
     */
    EventRecord toRecord(StreamId streamId, WrappedEvent<?> event, @Nullable Long snapshotVersion) {
        Class<?> type = event.event().getClass();
        String typeName = registry.typeNameOf(type);
        Arguments.checkUuid((snapshotVersion == null ? "Event" : "Snapshot") + " for stream " + streamId + " has id",
                event.uuid());
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
        checkJson(streamId, event.uuid(), typeName, "payload", payload);
        checkJson(streamId, event.uuid(), typeName, "context", context);
        if (snapshotVersion == null) {
            // snapshots summarise whole aggregates and are exempt; the limit guards the event log
            long size = PortableValues.utf8Length(payload) + PortableValues.utf8Length(context);
            if (size > maxEventSize) {
                throw new IllegalArgumentException("Event " + event.uuid() + " of type '" + typeName + "' for stream "
                        + streamId + " is " + size + " bytes serialized (payload and context), over the maximum "
                        + "event size of " + maxEventSize + " bytes");
            }
        }
        return new EventRecord(event.uuid(), snapshotVersion, typeName, EventTypeRegistry.declaredSchemaVersion(type), payload,
                context, event.createdAt());
    }

    /**
     * The envelope of a stored record.
     *
     * The upcasters from the record's (type, schema version) run first, on its JSON tree, then, when the type
     * name they end at is an alias of a class, the upcasters of the class's own name; the chain must end at
     * the class's schema version.
     *
     * @throws UnknownEventTypeException when no class is registered for the stored (or upcast) type name
     * @throws EventSerializationException when the stored JSON does not read as the registered class, or the
     *     schema version it reads at is not the class's
     */
    WrappedEvent<?> toEvent(StreamId streamId, EventRecord record) {
        return toEvent(streamId, record, reading(streamId, record));
    }

    /**
     * The envelope of a stored record when it reads as one of the given classes, else {@code null}, without
     * reading its JSON. Which class a record reads as depends on its schema version as well as on its type
     * name: when an upcaster renames a type at one version, a newer class may still hold the old name. A record
     * of a type name no class is known for reads as none of them.
     *
     * @throws EventSerializationException as {@link #toEvent(StreamId, EventRecord)}, for a record that reads as
     *     one of the classes
     */
    @Nullable WrappedEvent<?> toEventOf(Set<Class<?>> classes, StreamId streamId, EventRecord record) {
        Reading reading;
        try {
            reading = reading(streamId, record);
        } catch (UnknownEventTypeException e) {
            // not a class of the filter, whose classes are all registered with every name they are stored under
            return null;
        }
        return classes.contains(reading.type()) ? toEvent(streamId, record, reading) : null;
    }

    /** The class a record reads as, and the upcasters that take it there. */
    private Reading reading(StreamId streamId, EventRecord record) {
        // most events are of types no upcaster reads: they take the direct path, with no lookup of a chain
        EventUpcasters.Chain chain = upcasters.upcasts(record.type())
                ? upcasters.chainFrom(record.type(), record.schemaVersion()) : null;
        String typeName = chain == null ? record.type() : chain.type();
        int schemaVersion = chain == null ? record.schemaVersion() : chain.version();
        Class<?> type = classOf(streamId, record, typeName);
        while (!upcasters.isEmpty()) {
            // an event stored under an alias goes on through the upcasters of its class's own name
            String ownName = registry.typeNameOf(type);
            if (ownName.equals(typeName) || !upcasters.upcasts(ownName)) {
                break;
            }
            EventUpcasters.Chain more = upcasters.chainFrom(ownName, schemaVersion);
            if (more.upcasters().isEmpty()) {
                break;
            }
            List<Upcaster> steps = new ArrayList<>(chain == null ? List.of() : chain.upcasters());
            steps.addAll(more.upcasters());
            chain = new EventUpcasters.Chain(List.copyOf(steps), more.type(), more.version());
            typeName = more.type();
            schemaVersion = more.version();
            type = classOf(streamId, record, typeName);
        }
        return new Reading(type, chain, typeName, schemaVersion);
    }

    private WrappedEvent<?> toEvent(StreamId streamId, EventRecord record, Reading reading) {
        Class<?> type = reading.type();
        EventUpcasters.Chain chain = reading.chain();
        int declared = EventTypeRegistry.declaredSchemaVersion(type);
        if (reading.schemaVersion() != declared) {
            throw new EventSerializationException("Cannot read event " + record.uuid() + " of type '" + record.type()
                    + "' at schema version " + record.schemaVersion() + " in stream " + streamId + " at version "
                    + versionText(record) + ": "
                    + versionProblem(reading.typeName(), reading.schemaVersion(), type, declared), null);
        }
        Object event;
        Context context;
        try {
            event = chain == null || chain.upcasters().isEmpty() ? serializer.deserialize(record.payload(), type)
                    : serializer.deserialize(upcast(record.payload(), chain), type);
            context = serializer.deserializeContext(record.context());
        } catch (EventStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EventSerializationException("Cannot deserialize event " + record.uuid() + " of type '"
                    + record.type() + "' at schema version " + record.schemaVersion() + " (" + type.getName()
                    + ") in stream " + streamId + " at version " + versionText(record) + ": " + e.getMessage(), e);
        }
        return new WrappedEvent<>(event, record.version(), record.uuid(), record.createdAt(), context);
    }

    private Class<?> classOf(StreamId streamId, EventRecord record, String typeName) {
        try {
            return registry.classOf(typeName)
                    .orElseThrow(() -> new UnknownEventTypeException(typeName, streamId, record.version()));
        } catch (AmbiguousEventTypeException e) {
            throw new UnknownEventTypeException(typeName, streamId, record.version(), e);
        }
    }

    private ObjectNode upcast(String payload, EventUpcasters.Chain chain) {
        ObjectNode json = serializer.readTree(payload);
        for (Upcaster upcaster : chain.upcasters()) {
            json = Objects.requireNonNull(upcaster.upcast(json), () -> "Upcaster " + upcaster + " returned null");
        }
        return json;
    }

    /**
     * What a stored record is read as.
     *
     * @param type the class it binds to
     * @param chain the upcasters it passes through on the way, {@code null} when none reads its type
     * @param typeName the type name it reads as
     * @param schemaVersion the schema version it reads at
     */
    private record Reading(Class<?> type, EventUpcasters.@Nullable Chain chain, String typeName, int schemaVersion) {
    }

    private static String versionText(EventRecord record) {
        return record.version() == null ? "(versionless)" : record.version().toString();
    }

    private static String versionProblem(String typeName, int version, Class<?> type, int declared) {
        if (version > declared) {
            return "it reads as '" + typeName + "' at schema version " + version + ", newer than " + type.getName()
                    + " (schema version " + declared + " in its @EventType): it was written by a newer version of "
                    + "the application";
        }
        return "it reads as '" + typeName + "' at schema version " + version + ", but " + type.getName()
                + " reads schema version " + declared + " and no upcaster is registered for type '" + typeName
                + "' from schema version " + version;
    }

    private static void checkJson(StreamId streamId, UUID eventId, String typeName, String part, String json) {
        String problem = PortableValues.problemInJson(json);
        if (problem != null) {
            // names where, not what: the message may reach an HTTP client, which must not see event ids or JSON
            throw new IllegalArgumentException("An event of type '" + typeName + "' for stream " + streamId
                    + " has, in its JSON " + part + ", " + problem + ", which not every backend can store");
        }
    }
}

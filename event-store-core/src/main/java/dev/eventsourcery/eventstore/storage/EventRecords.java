package dev.eventsourcery.eventstore.storage;

import java.time.Instant;
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
    private final long maxEventSize;

    EventRecords(EventTypeRegistry registry, EventSerializer serializer, long maxEventSize) {
        this.registry = registry;
        this.serializer = serializer;
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
     * @throws UnknownEventTypeException when no class is registered for the stored type name
     * @throws EventSerializationException when the stored JSON does not read as the registered class
     */
    WrappedEvent<?> toEvent(StreamId streamId, EventRecord record) {
        Class<?> type;
        try {
            type = registry.classOf(record.type())
                    .orElseThrow(() -> new UnknownEventTypeException(record.type(), streamId, record.version()));
        } catch (AmbiguousEventTypeException e) {
            throw new UnknownEventTypeException(record.type(), streamId, record.version(), e);
        }
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

    private static void checkJson(StreamId streamId, UUID eventId, String typeName, String part, String json) {
        String problem = PortableValues.problemInJson(json);
        if (problem != null) {
            // names where, not what: the message may reach an HTTP client, which must not see event ids or JSON
            throw new IllegalArgumentException("An event of type '" + typeName + "' for stream " + streamId
                    + " has, in its JSON " + part + ", " + problem + ", which not every backend can store");
        }
    }
}

package dev.eventsourcery.eventstore.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An event (or snapshot) as a backend stores it: serialized, with its envelope.
 *
 * @param uuid the event's id
 * @param version its version in the stream; {@code null} in versionless streams, and on the way into
 *     {@link EventStorage#append} for events (the backend assigns versions)
 * @param type the stored type name
 * @param schemaVersion the schema version of the payload: the {@link dev.eventsourcery.eventstore.EventType#version()}
 *     of the class it was written from, 1 or more; upcasters turn older payloads into the current one on reading
 * @param payload the event as JSON text
 * @param context the context as JSON text
 * @param createdAt when the event was created, to the microsecond
 */
public record EventRecord(UUID uuid, @Nullable Long version, String type, int schemaVersion, String payload, String context,
        Instant createdAt) {

    /** Requires every part but the version, and a schema version of 1 or more. */
    public EventRecord {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(createdAt, "createdAt");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("Schema version of event " + uuid + " of type '" + type
                    + "' must be 1 or more, got " + schemaVersion);
        }
    }

    /** This record with the given version. */
    public EventRecord withVersion(@Nullable Long version) {
        return new EventRecord(uuid, version, type, schemaVersion, payload, context, createdAt);
    }
}

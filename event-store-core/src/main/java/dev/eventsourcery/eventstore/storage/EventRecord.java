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
 * @param payload the event as JSON text
 * @param context the context as JSON text
 * @param createdAt when the event was created, to the microsecond
 */
public record EventRecord(UUID uuid, @Nullable Long version, String type, String payload, String context, Instant createdAt) {

    /** Requires every part but the version. */
    public EventRecord {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** This record with the given version. */
    public EventRecord withVersion(@Nullable Long version) {
        return new EventRecord(uuid, version, type, payload, context, createdAt);
    }
}

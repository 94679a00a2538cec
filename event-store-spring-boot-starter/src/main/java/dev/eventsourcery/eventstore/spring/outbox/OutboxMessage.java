package dev.eventsourcery.eventstore.spring.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.RecordedEvent;

/**
 * One event of the log as the outbox publishes it: the event's JSON and what a consumer needs to know about it
 * without loading anything, each part flat, so that a routing key expression reads {@code category} or
 * {@code eventType} directly.
 *
 * @param eventId the event's id, unique in the store: the message id consumers de-duplicate on
 * @param eventType the event's stored type name ({@code @EventType}, else its class's simple name)
 * @param streamId the uuid of its stream
 * @param streamName the stream's name; {@code null} for a stream addressed by uuid only
 * @param category the stream's category; {@code null} when it has none
 * @param tenant the tenant's id; {@code null} for the default tenant
 * @param version the event's version in its stream; {@code null} in a versionless stream
 * @param position its position in the log
 * @param createdAt when the event was created, to the microsecond
 * @param correlationId the correlation id of its context, if any
 * @param causationId the causation id of its context, if any
 * @param attributes the other attributes of its context, as JSON values
 * @param payload the event as JSON, as the store's {@code EventSerializer} writes it: the stored text, for an
 *     event whose class has not changed since it was appended
 * @param event the event itself
 */
public record OutboxMessage(UUID eventId, String eventType, UUID streamId, @Nullable String streamName,
        @Nullable String category, @Nullable String tenant, @Nullable Long version, long position, Instant createdAt,
        @Nullable UUID correlationId, @Nullable UUID causationId, Map<String, Object> attributes, String payload,
        Object event) {

    /** Requires every part that may not be {@code null}. */
    public OutboxMessage {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(createdAt, "createdAt");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(event, "event");
    }

    /**
     * The message of an event read from the log.
     *
     * @param eventType the event's stored type name
     * @param payload the event as JSON
     */
    public static OutboxMessage of(RecordedEvent<?> recorded, String eventType, String payload) {
        var wrapped = recorded.wrappedEvent();
        return new OutboxMessage(wrapped.uuid(), eventType, recorded.streamId().uuid(), recorded.streamId().name(),
                recorded.streamId().category(), recorded.tenantId().isDefault() ? null : recorded.tenantId().value(),
                wrapped.version(), recorded.position().value(), wrapped.createdAt(), wrapped.context().correlationId(),
                wrapped.context().causationId(), wrapped.context().attributes(), payload, recorded.event());
    }

    /** The JSON payload in UTF-8. */
    public byte[] payloadBytes() {
        return payload.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.eventsourcery.eventstore;

import java.util.Objects;

/**
 * An event as the log holds it: the envelope that was appended, with the stream and tenant it was
 * appended to and its position in the log.
 *
 * @param wrappedEvent the appended envelope, with the version it got ({@code null} in a versionless stream)
 * @param streamId the stream it was appended to
 * @param tenantId the tenant of that stream
 * @param position its position in the log
 * @param <E> the event's type
 */
public record RecordedEvent<E>(WrappedEvent<E> wrappedEvent, StreamId streamId, TenantId tenantId, Position position) {

    /** Requires every part. */
    public RecordedEvent {
        Objects.requireNonNull(wrappedEvent, "wrappedEvent");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(position, "position");
    }

    /** The event itself. */
    public E event() {
        return wrappedEvent.event();
    }
}

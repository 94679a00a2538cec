package dev.eventsourcery.eventstore;

import java.util.Objects;
import java.util.UUID;

/**
 * A subscription reached an event of the log that it cannot turn into an object: its stored type has no
 * registered class ({@link UnknownEventTypeException} as the cause), or its stored JSON no longer reads as its
 * class ({@link EventSerializationException}). It names where the event lies, as stored, so that a consumer of
 * the log can report it, record it and, if it chooses, move past it: a subscription {@code after} its
 * {@link #position()} delivers the events after it.
 */
public class UnreadableEventException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    // transient: these API types are not Serializable; a serialized copy keeps the message that names them
    private final transient Position position;
    private final transient TenantId tenantId;
    private final transient StreamId streamId;
    private final String eventType;
    private final UUID eventId;

    /**
     * The event at {@code position} cannot be read, for the reason given (its cause).
     *
     * @param eventType the type name the event is stored under
     */
    public UnreadableEventException(Position position, TenantId tenantId, StreamId streamId, String eventType,
            UUID eventId, RuntimeException reason) {
        super("Cannot read the event at position " + position.value() + " (event " + eventId + " of type '"
                + eventType + "' in stream " + streamId + " of " + (tenantId.isDefault() ? "the default tenant"
                        : "tenant '" + tenantId.value() + "'") + "): " + reason.getMessage(),
                Objects.requireNonNull(reason, "reason"));
        this.position = position;
        this.tenantId = tenantId;
        this.streamId = streamId;
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.eventId = Objects.requireNonNull(eventId, "eventId");
    }

    /** Where the event lies in the log. */
    public Position position() {
        return position;
    }

    /** The tenant of the event's stream. */
    public TenantId tenantId() {
        return tenantId;
    }

    /** The event's stream. */
    public StreamId streamId() {
        return streamId;
    }

    /** The type name the event is stored under. */
    public String eventType() {
        return eventType;
    }

    /** The event's id. */
    public UUID eventId() {
        return eventId;
    }
}

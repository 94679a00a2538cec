package dev.eventsourcery.eventstore;

import org.jspecify.annotations.Nullable;

/** A stored event's type name has no registered class, so the event cannot be loaded. */
public class UnknownEventTypeException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    private final String typeName;

    /** The event at {@code version} of {@code streamId} has a type that no class is registered for. */
    public UnknownEventTypeException(String typeName, StreamId streamId, @Nullable Long version) {
        super("Unknown event type '" + typeName + "' in stream " + streamId + " at version "
                + (version == null ? "(versionless)" : version)
                + "; register its class with the event type registry before loading");
        this.typeName = typeName;
    }

    /**
     * The event at {@code version} of {@code streamId} has a type that no class is registered for, and no
     * single class could be found for it, for the reason given (its cause).
     */
    public UnknownEventTypeException(String typeName, StreamId streamId, @Nullable Long version, EventStoreException reason) {
        super("Unknown event type '" + typeName + "' in stream " + streamId + " at version "
                + (version == null ? "(versionless)" : version) + ": " + reason.getMessage(), reason);
        this.typeName = typeName;
    }

    /** The stored type name no class is registered for. */
    public String typeName() {
        return typeName;
    }
}

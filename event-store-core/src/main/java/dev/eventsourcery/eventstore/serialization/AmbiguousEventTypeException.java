package dev.eventsourcery.eventstore.serialization;

import java.util.List;

import dev.eventsourcery.eventstore.EventStoreException;

/**
 * A stored type name has no registered class, and the {@link EventClassLookup} finds several classes that
 * could be meant: the events cannot be loaded until one of them claims the name with
 * {@link dev.eventsourcery.eventstore.EventType @EventType}. Loading a stream reports it as the cause of
 * an {@link dev.eventsourcery.eventstore.UnknownEventTypeException} naming the stream and version.
 */
public final class AmbiguousEventTypeException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    private final String typeName;
    private final List<String> candidates;

    /** No class is registered for {@code typeName}, and each of {@code candidates} could be meant. */
    public AmbiguousEventTypeException(String typeName, List<String> candidates) {
        super("no class is registered for type '" + typeName + "', and several classes could be meant, as they "
                + "share that simple name: " + String.join(", ", candidates) + "; annotate the class its events "
                + "belong to with @EventType(\"" + typeName + "\")");
        this.typeName = typeName;
        this.candidates = List.copyOf(candidates);
    }

    /** The stored type name. */
    public String typeName() {
        return typeName;
    }

    /** The fully qualified names of the classes that could be meant. */
    public List<String> candidates() {
        return candidates;
    }
}

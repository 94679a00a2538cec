package dev.eventsourcery.eventstore;

/** Two event classes claim the same stored type name. */
public class DuplicateEventTypeException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** {@code second} claims the type name that {@code first} already has. */
    public DuplicateEventTypeException(String typeName, Class<?> first, Class<?> second) {
        super("Event type '" + typeName + "' is already registered for " + first.getName()
                + "; " + second.getName() + " cannot use it too (give one of them another @EventType name)");
    }
}

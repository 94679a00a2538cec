package dev.eventsourcery.eventstore.serialization;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventsourcery.eventstore.DuplicateEventTypeException;
import dev.eventsourcery.eventstore.EventType;

/**
 * Ties stored type names to event classes. A class is stored under its {@link EventType} name, or its
 * simple name without one.
 *
 * <p>A class is registered the first time an event of it is appended; a type that must load before any
 * of its events is appended in this process (events written by an earlier run) is registered with
 * {@link #register(Class...)}. Thread-safe.
 */
public final class EventTypeRegistry {

    /** Longest stored type name, in characters. */
    public static final int MAX_TYPE_NAME_LENGTH = 255;

    private final Map<String, Class<?>> classesByName = new ConcurrentHashMap<>();
    private final Map<Class<?>, String> namesByClass = new ConcurrentHashMap<>();

    /**
     * Registers event classes so their stored events can be loaded.
     *
     * @return this registry
     * @throws DuplicateEventTypeException when another class already has the type name of one of them
     */
    public EventTypeRegistry register(Class<?>... types) {
        for (Class<?> type : types) {
            typeNameOf(type);
        }
        return this;
    }

    /**
     * The stored type name of an event class, registering the class on first use.
     *
     * @throws DuplicateEventTypeException when another class already has that type name
     */
    public String typeNameOf(Class<?> type) {
        Objects.requireNonNull(type, "type");
        String known = namesByClass.get(type);
        if (known != null) {
            return known;
        }
        String name = declaredTypeName(type);
        synchronized (this) {
            Class<?> holder = classesByName.putIfAbsent(name, type);
            if (holder != null && holder != type) {
                throw new DuplicateEventTypeException(name, holder, type);
            }
            namesByClass.put(type, name);
        }
        return name;
    }

    /** The class registered for a stored type name, if any. */
    public Optional<Class<?>> classOf(String typeName) {
        return Optional.ofNullable(classesByName.get(typeName));
    }

    /** Whether a class is registered. */
    public boolean isRegistered(Class<?> type) {
        return namesByClass.containsKey(type);
    }

    /**
     * The type name a class declares: its {@link EventType} value, else its simple name.
     *
     * @throws IllegalArgumentException when the class has no usable name (anonymous classes, blank
     *     {@code @EventType})
     */
    public static String declaredTypeName(Class<?> type) {
        EventType annotation = type.getAnnotation(EventType.class);
        String name = annotation != null ? annotation.value() : type.getSimpleName();
        if (name.isBlank()) {
            throw new IllegalArgumentException(annotation != null
                    ? "@EventType on " + type.getName() + " must not be blank"
                    : type.getName() + " has no simple name to store its events under; annotate it with @EventType");
        }
        // the type name is a varchar(255) column on every database; NUL is not storable on PostgreSQL
        if (name.length() > MAX_TYPE_NAME_LENGTH || name.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("Event type name of " + type.getName() + " must be at most "
                    + MAX_TYPE_NAME_LENGTH + " characters without NUL, got " + name.length() + " characters: '"
                    + name.replace("\u0000", "\\u0000") + "'");
        }
        return name;
    }
}

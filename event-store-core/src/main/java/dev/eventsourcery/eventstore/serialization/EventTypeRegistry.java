package dev.eventsourcery.eventstore.serialization;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventsourcery.eventstore.DuplicateEventTypeException;
import dev.eventsourcery.eventstore.EventType;

/**
 * Ties stored type names to event classes. A class is stored under its {@link EventType} name, or its
 * simple name without one; events stored under one of its {@link EventType#aliases()} load as it too.
 *
 * <p>A class is registered the first time an event of it is appended, or up front with
 * {@link #register(Class...)}. A stored type name that no class is registered for (events written by an
 * earlier run of the application) is looked up with the registry's {@link EventClassLookup}, if it has
 * one; a class found there is registered. Without a lookup, such a type must be registered before its
 * events are loaded. Thread-safe.
 *
 * <p>When a class is first used to append and the lookup says that an application started afresh would
 * not find it, the registry logs a warning (through {@link System.Logger}) saying what to do about it.
 */
public final class EventTypeRegistry {

    /** Longest stored type name, in characters. */
    public static final int MAX_TYPE_NAME_LENGTH = 255;

    private static final System.Logger LOGGER = System.getLogger(EventTypeRegistry.class.getName());

    /** The lookup of a registry that knows only what is registered with it. */
    private static final EventClassLookup NO_LOOKUP = new EventClassLookup() {
        @Override
        public Result find(String typeName) {
            return new NotFound();
        }

        @Override
        public Optional<String> problemAfterRestart(Class<?> type, String typeName) {
            return Optional.empty();
        }
    };

    private static final ClassValue<Integer> SCHEMA_VERSIONS = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            EventType annotation = type.getAnnotation(EventType.class);
            int version = annotation == null ? 1 : annotation.version();
            if (version < 1) {
                throw new IllegalArgumentException("@EventType on " + type.getName() + " declares schema version "
                        + version + "; versions start at 1");
            }
            return version;
        }
    };

    private final Map<String, Class<?>> classesByName = new ConcurrentHashMap<>();
    private final Map<Class<?>, String> namesByClass = new ConcurrentHashMap<>();
    private final EventClassLookup lookup;

    /** A registry that knows only the classes registered with it or appended through it. */
    public EventTypeRegistry() {
        this(NO_LOOKUP);
    }

    /** A registry that asks {@code lookup} for the classes of type names that no class is registered for. */
    public EventTypeRegistry(EventClassLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * Registers event classes so their stored events can be loaded.
     *
     * @return this registry
     * @throws DuplicateEventTypeException when another class already has the type name of one of them
     */
    public EventTypeRegistry register(Class<?>... types) {
        for (Class<?> type : types) {
            Objects.requireNonNull(type, "type");
            if (!namesByClass.containsKey(type)) {
                add(declaredTypeName(type), type);
            }
        }
        return this;
    }

    /**
     * The stored type name of an event class, registering the class on first use. The first time, a class
     * that an application started afresh would not find under that name is logged as a warning.
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
        if (add(name, type)) {
            warnIfLostOnRestart(type, name);
        }
        return name;
    }

    /**
     * The class for a stored type name: the registered one, else the one the lookup finds, which is then
     * registered.
     *
     * @throws AmbiguousEventTypeException when no class is registered for the name and the lookup finds
     *     several that could be meant
     */
    public Optional<Class<?>> classOf(String typeName) {
        Class<?> known = classesByName.get(typeName);
        if (known != null) {
            return Optional.of(known);
        }
        EventClassLookup.Result found = lookup.find(typeName);
        if (found instanceof EventClassLookup.Ambiguous ambiguous) {
            throw new AmbiguousEventTypeException(typeName, ambiguous.candidates());
        }
        if (!(found instanceof EventClassLookup.Found one)) {
            return Optional.empty();
        }
        // a class stored under another name would be registered under the wrong one
        if (!declaredTypeName(one.type()).equals(typeName) && !declaredAliases(one.type()).contains(typeName)) {
            throw new IllegalStateException("Event class lookup found " + one.type().getName() + " for type '"
                    + typeName + "', but its events are stored as '" + declaredTypeName(one.type()) + "'");
        }
        add(declaredTypeName(one.type()), one.type());
        return Optional.of(one.type());
    }

    /**
     * The schema version events of a class are written with: its {@link EventType#version()}, 1 without
     * the annotation.
     *
     * @throws IllegalArgumentException when the annotation declares a version below 1
     */
    public static int declaredSchemaVersion(Class<?> type) {
        return SCHEMA_VERSIONS.get(type);
    }

    /**
     * Every type name events of a class may be stored under: its own and its {@link EventType#aliases()},
     * registering the class on first use.
     *
     * @throws DuplicateEventTypeException when another class already has one of those names
     */
    public Set<String> typeNamesOf(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        names.add(typeNameOf(type));
        names.addAll(declaredAliases(type));
        return names;
    }

    /**
     * The earlier type names a class declares in {@link EventType#aliases()}.
     *
     * @throws IllegalArgumentException when an alias is blank, too long or holds NUL
     */
    public static List<String> declaredAliases(Class<?> type) {
        EventType annotation = type.getAnnotation(EventType.class);
        if (annotation == null || annotation.aliases().length == 0) {
            return List.of();
        }
        List<String> aliases = new ArrayList<>();
        for (String alias : annotation.aliases()) {
            if (alias.isBlank() || alias.length() > MAX_TYPE_NAME_LENGTH || alias.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException("@EventType on " + type.getName() + " declares the alias '"
                        + alias.replace("\u0000", "\\u0000") + "'; an alias must be a type name of 1 to "
                        + MAX_TYPE_NAME_LENGTH + " characters without NUL");
            }
            if (!alias.equals(annotation.value()) && !aliases.contains(alias)) {
                aliases.add(alias);
            }
        }
        return List.copyOf(aliases);
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

    /**
     * Ties {@code name} to {@code type}.
     *
     * @return whether the class was not registered before
     * @throws DuplicateEventTypeException when another class already has that name
     */
    private synchronized boolean add(String name, Class<?> type) {
        List<String> aliases = declaredAliases(type);
        // check every name before taking any, so that a refused class leaves nothing behind
        for (String taken : concat(name, aliases)) {
            Class<?> holder = classesByName.get(taken);
            if (holder != null && holder != type) {
                throw new DuplicateEventTypeException(taken, holder, type);
            }
        }
        for (String taken : concat(name, aliases)) {
            classesByName.put(taken, type);
        }
        return namesByClass.put(type, name) == null;
    }

    private static List<String> concat(String name, List<String> aliases) {
        List<String> names = new ArrayList<>(aliases.size() + 1);
        names.add(name);
        names.addAll(aliases);
        return names;
    }

    private void warnIfLostOnRestart(Class<?> type, String name) {
        lookup.problemAfterRestart(type, name).ifPresent(problem -> LOGGER.log(Level.WARNING,
                "Events of " + type.getName() + " are stored as type '" + name + "', which an application started "
                        + "afresh could not load: " + problem));
    }
}

package dev.eventsourcery.eventstore.aggregate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Which handler folds an event of a given class into the state: the one registered for the class itself,
 * else for its nearest supertype (superclasses and interfaces alike, by the number of steps up from the
 * class; {@code Object} last). Resolved once per event class and kept, so folding an event is a lookup.
 *
 * @param <S> the aggregate's state
 */
final class EventHandlers<S> {

    /** Leaves the state as it is: the handler of events that have none. */
    private final BiFunction<S, Object, S> unhandled = (state, event) -> state;

    private final Map<Class<?>, BiFunction<S, Object, S>> handlers;
    private final String category;
    private final ClassValue<BiFunction<S, Object, S>> resolved = new ClassValue<>() {
        @Override
        protected BiFunction<S, Object, S> computeValue(Class<?> eventType) {
            return resolve(eventType);
        }
    };

    EventHandlers(Map<Class<?>, BiFunction<S, Object, S>> handlers, String category) {
        this.handlers = Map.copyOf(handlers);
        this.category = category;
    }

    /** The handler for events of this class; one that leaves the state alone when none applies. */
    BiFunction<S, Object, S> handlerFor(Class<?> eventType) {
        return resolved.get(eventType);
    }

    private BiFunction<S, Object, S> resolve(Class<?> eventType) {
        List<Class<?>> level = List.of(eventType);
        Set<Class<?>> seen = new HashSet<>(level);
        while (!level.isEmpty()) {
            List<Class<?>> handled = new ArrayList<>();
            for (Class<?> type : level) {
                if (type != Object.class && handlers.containsKey(type)) {
                    handled.add(type);
                }
            }
            if (handled.size() == 1) {
                return handlers.get(handled.get(0));
            }
            if (handled.size() > 1) {
                throw new IllegalStateException("Aggregate type '" + category + "' has handlers for " + names(handled)
                        + ", equally near supertypes of event " + eventType.getName()
                        + "; register a handler for " + eventType.getSimpleName() + " itself");
            }
            level = supertypes(level, seen);
        }
        BiFunction<S, Object, S> fallback = handlers.get(Object.class);
        return fallback != null ? fallback : unhandled;
    }

    private static List<Class<?>> supertypes(List<Class<?>> types, Set<Class<?>> seen) {
        List<Class<?>> next = new ArrayList<>();
        for (Class<?> type : types) {
            Class<?> superclass = type.getSuperclass();
            if (superclass != null && seen.add(superclass)) {
                next.add(superclass);
            }
            for (Class<?> implemented : type.getInterfaces()) {
                if (seen.add(implemented)) {
                    next.add(implemented);
                }
            }
        }
        return List.copyOf(next);
    }

    private static String names(List<Class<?>> types) {
        return types.stream().map(Class::getName).toList().toString();
    }
}

package dev.eventsourcery.eventstore.serialization;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an {@link EventTypeRegistry} looks for the class of a stored type name that no class is
 * registered for, so that events written by an earlier run of the application load without their
 * classes being registered by hand. The Spring Boot starter implements it by scanning the application's
 * packages.
 *
 * <p>Implementations must be thread-safe.
 */
public interface EventClassLookup {

    /**
     * The class that events stored under the given type name belong to. The registry asks only for type
     * names that no class is registered for, and registers a class found here under that name.
     */
    Result find(String typeName);

    /**
     * Why an application started afresh would not find the given class under its type name, with what to
     * do about it; empty when it would. The registry logs it, once, when a class is first used to append.
     */
    Optional<String> problemAfterRestart(Class<?> type, String typeName);

    /** What a lookup found for a type name. */
    sealed interface Result permits Found, NotFound, Ambiguous {
    }

    /** The one class that events of the type name belong to; its declared type name is that name. */
    record Found(Class<?> type) implements Result {

        /** Requires the class. */
        public Found {
            Objects.requireNonNull(type, "type");
        }
    }

    /** No class for the type name. */
    record NotFound() implements Result {
    }

    /** Several classes could be meant, named by their fully qualified names. */
    record Ambiguous(List<String> candidates) implements Result {

        /** Copies the candidates. */
        public Ambiguous {
            candidates = List.copyOf(candidates);
        }
    }
}

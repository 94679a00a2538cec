package dev.eventsourcery.eventstore.serialization;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upcasters of a store, by the (type, schema version) they read, and the chains they make: what a
 * stored event of some type and version goes through before it is bound to its class. Immutable once
 * built; thread-safe.
 */
public final class EventUpcasters {

    /** No upcasters: every event is read at the version it was stored with. */
    public static final EventUpcasters NONE = new EventUpcasters(List.of());

    private final Map<Step, Upcaster> byStep;

    /** The type names some upcaster reads, so that events of every other type are read without a lookup. */
    private final Set<String> upcastTypes;
    private final Map<Step, Chain> chains = new ConcurrentHashMap<>();

    private EventUpcasters(Collection<? extends Upcaster> upcasters) {
        Map<Step, Upcaster> steps = new HashMap<>();
        for (Upcaster upcaster : upcasters) {
            Objects.requireNonNull(upcaster, "upcaster");
            Step step = new Step(check(upcaster, "type", upcaster.type()), upcaster.fromVersion());
            check(upcaster, "toType", upcaster.toType());
            if (upcaster.fromVersion() < 1) {
                throw new IllegalArgumentException("Upcaster " + upcaster + " reads schema version "
                        + upcaster.fromVersion() + "; versions start at 1");
            }
            Upcaster other = steps.putIfAbsent(step, upcaster);
            if (other != null) {
                throw new IllegalArgumentException("Two upcasters read type '" + step.type() + "' at schema version "
                        + step.version() + ": " + other + " and " + upcaster);
            }
        }
        this.byStep = Map.copyOf(steps);
        Set<String> types = new HashSet<>();
        steps.keySet().forEach(step -> types.add(step.type()));
        this.upcastTypes = Set.copyOf(types);
    }

    /**
     * The given upcasters.
     *
     * @throws IllegalArgumentException when two read the same type and version, or one has a blank type name
     *     or a version below 1
     */
    public static EventUpcasters of(Collection<? extends Upcaster> upcasters) {
        return upcasters.isEmpty() ? NONE : new EventUpcasters(List.copyOf(upcasters));
    }

    /** The given upcasters; see {@link #of(Collection)}. */
    public static EventUpcasters of(Upcaster... upcasters) {
        return of(List.of(upcasters));
    }

    /** Whether there are none. */
    public boolean isEmpty() {
        return byStep.isEmpty();
    }

    /** Whether some upcaster reads events of this type name, at some schema version. */
    public boolean upcasts(String type) {
        return upcastTypes.contains(type);
    }

    /** The upcasters a stored event of this type and schema version goes through, in order, and what it then is. */
    public Chain chainFrom(String type, int version) {
        if (!upcastTypes.contains(type)) {
            return Chain.none(type, version);
        }
        return chains.computeIfAbsent(new Step(type, version), this::follow);
    }

    /**
     * Every stored type name whose events are read as one of the given type names: those names and the names
     * upcasters rename into them, directly or through others. A subscription to a class reads these.
     */
    public Set<String> typeNamesReadAs(Collection<String> typeNames) {
        Set<String> names = new HashSet<>(typeNames);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Upcaster upcaster : byStep.values()) {
                if (names.contains(upcaster.toType()) && names.add(upcaster.type())) {
                    grew = true;
                }
            }
        }
        return names;
    }

    private Chain follow(Step start) {
        List<Upcaster> steps = new ArrayList<>();
        String type = start.type();
        int version = start.version();
        // every step raises the version, so a chain always ends
        for (Upcaster next = byStep.get(start); next != null; next = byStep.get(new Step(type, version))) {
            steps.add(next);
            type = next.toType();
            version++;
        }
        return new Chain(List.copyOf(steps), type, version);
    }

    private static String check(Upcaster upcaster, String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Upcaster " + upcaster + " has a blank " + what);
        }
        return name;
    }

    private record Step(String type, int version) {
    }

    /**
     * What a stored event goes through when read.
     *
     * @param upcasters the upcasters, in the order they run; empty when the event is read as stored
     * @param type the type name it is read as
     * @param version the schema version it is read at
     */
    public record Chain(List<Upcaster> upcasters, String type, int version) {

        static Chain none(String type, int version) {
            return new Chain(List.of(), type, version);
        }
    }
}

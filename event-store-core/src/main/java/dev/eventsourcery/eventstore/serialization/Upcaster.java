package dev.eventsourcery.eventstore.serialization;

import java.util.Objects;
import java.util.function.UnaryOperator;

import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the stored JSON of one event type at one schema version into the JSON of the next version: from
 * ({@link #type()}, {@link #fromVersion()}) to ({@link #toType()}, {@code fromVersion() + 1}). Upcasters
 * chain: an event stored at version 1 of a class now at version 3 passes through the upcaster from 1 and
 * the one from 2. They run whenever stored events are read — {@code loadStream}, subscriptions and
 * projections alike — on the JSON tree, before it is bound to the event class; stored rows are never
 * rewritten.
 *
 * <p>In a Spring Boot application every {@code Upcaster} bean is registered; without Spring, pass them to
 * {@link EventUpcasters} and that to {@code StorageEventStore.builder(…).upcasters(…)}. An upcaster must be
 * a pure function of the JSON it is given: it may run many times for the same stored event.
 *
 * <pre>{@code
 * @Bean
 * Upcaster depositsInEuros() {
 *     return Upcaster.of("bank.MoneyDeposited", 1, json -> json.put("currency", "EUR"));
 * }
 * }</pre>
 */
public interface Upcaster {

    /** The stored type name this upcaster reads. */
    String type();

    /** The schema version this upcaster reads; it writes the next one. */
    int fromVersion();

    /** The type name of what it writes: {@link #type()} unless the upcaster also renames the type. */
    default String toType() {
        return type();
    }

    /**
     * The JSON of version {@code fromVersion() + 1}, made from the JSON of {@code fromVersion()}. It may
     * change and return the given tree, which is a private copy.
     */
    ObjectNode upcast(ObjectNode json);

    /** An upcaster of one type from one version to the next, keeping the type name. */
    static Upcaster of(String type, int fromVersion, UnaryOperator<ObjectNode> change) {
        return renaming(type, fromVersion, type, change);
    }

    /** An upcaster that also renames the type: ({@code type}, {@code fromVersion}) becomes ({@code toType}, {@code fromVersion + 1}). */
    static Upcaster renaming(String type, int fromVersion, String toType, UnaryOperator<ObjectNode> change) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(toType, "toType");
        Objects.requireNonNull(change, "change");
        return new Upcaster() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public int fromVersion() {
                return fromVersion;
            }

            @Override
            public String toType() {
                return toType;
            }

            @Override
            public ObjectNode upcast(ObjectNode json) {
                return change.apply(json);
            }

            @Override
            public String toString() {
                return "Upcaster(" + type + " v" + fromVersion + " -> " + toType + " v" + (fromVersion + 1) + ")";
            }
        };
    }
}

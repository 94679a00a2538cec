package dev.eventsourcery.eventstore;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Metadata that travels with an event: correlation and causation ids and free-form attributes.
 *
 * <p>Attribute values are JSON values: strings, booleans, numbers, lists and string-keyed maps of
 * those. So that a context loaded from any backend {@code equals()} the one appended, integral numbers
 * are kept as {@link Long}, other numbers as {@link Double} (finite, with {@code -0.0} kept as {@code 0.0}),
 * and lists and maps as unmodifiable
 * copies; anything else, {@code null} included, is refused with an {@link IllegalArgumentException}
 * naming the attribute.
 *
 * @param correlationId the id of the conversation the event belongs to
 * @param causationId the id of the message that caused the event
 * @param attributes further metadata, as JSON values
 */
public record Context(@Nullable UUID correlationId, @Nullable UUID causationId, Map<String, Object> attributes) {

    private static final Context EMPTY = new Context(null, null, Map.of());

    /** Copies and normalizes the attributes. */
    public Context {
        Objects.requireNonNull(attributes, "attributes");
        Map<String, Object> copy = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            if (key == null) {
                throw new IllegalArgumentException("Context attribute names must not be null");
            }
            copy.put(key, jsonValue(key, value));
        });
        attributes = Collections.unmodifiableMap(copy);
    }

    /** A context with no ids and no attributes. */
    public static Context empty() {
        return EMPTY;
    }

    /** This context with the given correlation id. */
    public Context withCorrelationId(UUID correlationId) {
        return new Context(Objects.requireNonNull(correlationId, "correlationId"), causationId, attributes);
    }

    /** This context with the given causation id. */
    public Context withCausationId(UUID causationId) {
        return new Context(correlationId, Objects.requireNonNull(causationId, "causationId"), attributes);
    }

    /**
     * This context with one more attribute (replacing one of the same name).
     *
     * @throws IllegalArgumentException when the value is not a JSON value
     */
    public Context with(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Map<String, Object> copy = new LinkedHashMap<>(attributes);
        copy.put(key, value);
        return new Context(correlationId, causationId, copy);
    }

    private static Object jsonValue(String path, @Nullable Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            try {
                return big.longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("Context attribute '" + path + "' is out of the range of a long: " + big);
            }
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double number = ((Number) value).doubleValue();
            if (!Double.isFinite(number)) {
                throw new IllegalArgumentException("Context attribute '" + path + "' is not a finite number: " + value);
            }
            // JSON numbers have no negative zero on every backend (PostgreSQL's jsonb reads -0.0 back as 0.0)
            return number == 0.0 ? 0.0 : number;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(jsonValue(path + "[" + i + "]", list.get(i)));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, nested) -> {
                if (!(key instanceof String name)) {
                    throw new IllegalArgumentException("Context attribute '" + path + "' has a non-string key: " + key);
                }
                copy.put(name, jsonValue(path + "." + name, nested));
            });
            return Collections.unmodifiableMap(copy);
        }
        throw new IllegalArgumentException("Context attribute '" + path + "' must be a JSON value (string, boolean, "
                + "number, list or map), not " + (value == null ? "null" : value.getClass().getName()));
    }
}

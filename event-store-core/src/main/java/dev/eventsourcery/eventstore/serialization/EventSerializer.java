package dev.eventsourcery.eventstore.serialization;

import dev.eventsourcery.eventstore.Context;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns events and contexts into JSON text and back. {@link JacksonEventSerializer} is the default;
 * a failure may be any runtime exception, which the event store reports as an
 * {@link dev.eventsourcery.eventstore.EventSerializationException} naming the type and stream.
 */
public interface EventSerializer {

    /** The event as JSON text. */
    String serialize(Object event);

    /** The event of the given class read from JSON text. */
    <E> E deserialize(String json, Class<E> type);

    /**
     * Stored event JSON as a tree, for {@link Upcaster}s to change; decimals are kept exact (as
     * {@code BigDecimal}s with their scale).
     *
     * @throws IllegalArgumentException when the JSON is not an object
     */
    default ObjectNode readTree(String json) {
        return JacksonEventSerializer.asObject(JacksonEventSerializer.TREE_READER.readTree(json));
    }

    /** The event of the given class read from a JSON tree; by default from the tree written as text. */
    default <E> E deserialize(ObjectNode json, Class<E> type) {
        return deserialize(json.toString(), type);
    }

    /** The context as JSON text. */
    String serializeContext(Context context);

    /** The context read from JSON text. */
    Context deserializeContext(String json);
}

package dev.eventsourcery.eventstore.serialization;

import dev.eventsourcery.eventstore.Context;

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

    /** The context as JSON text. */
    String serializeContext(Context context);

    /** The context read from JSON text. */
    Context deserializeContext(String json);
}

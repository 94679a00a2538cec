package dev.eventsourcery.eventstore.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

/**
 * Customizes the event store's own Jackson mapper, the one that writes events as the JSON kept in the
 * event log, and not the application's {@link JsonMapper}. Beans of this type are applied in their order
 * ({@link org.springframework.core.Ordered} or {@link org.springframework.core.annotation.Order @Order}),
 * after the application's Jackson modules have been added to the event store's defaults.
 *
 * <p>Whatever a customizer changes in how events are written applies to the events stored from then on:
 * events stored before must still read back with it.
 */
@FunctionalInterface
public interface EventStoreJsonMapperBuilderCustomizer {

    /** Customizes the builder of the event store's mapper. */
    void customize(JsonMapper.Builder builder);
}

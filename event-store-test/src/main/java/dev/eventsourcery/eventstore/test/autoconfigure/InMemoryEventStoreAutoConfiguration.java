package dev.eventsourcery.eventstore.test.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.eventsourcery.eventstore.autoconfigure.EventStoreAutoConfiguration;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/**
 * The in-memory backend of an {@link EventStoreTest}. It defines the storage, not the store: the starter's
 * {@link EventStoreAutoConfiguration}, which comes after it, then leaves its JPA storage out and builds the
 * {@code EventStore} over this one as it would over JPA, with the application's event type registry, serializer,
 * tenant resolver, size limit and {@code EventAppended} publishing.
 */
@AutoConfiguration(before = EventStoreAutoConfiguration.class)
@ConditionalOnBackend(EventStoreTest.Backend.IN_MEMORY)
public final class InMemoryEventStoreAutoConfiguration {

    /** Keeps the events in memory, serialized as a database keeps them. */
    @Bean
    @ConditionalOnMissingBean(EventStorage.class)
    InMemoryEventStorage inMemoryEventStorage() {
        return new InMemoryEventStorage();
    }
}

package dev.eventsourcery.eventstore.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.autoconfigure.EventSerializationAutoConfiguration;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreAutoConfiguration;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/**
 * When the in-memory backend is there: unless {@code event-store.test.backend} names another, and unless the
 * application has a storage of its own; the starter's store is then built over it.
 */
class InMemoryEventStoreAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventSerializationAutoConfiguration.class,
                    InMemoryEventStoreAutoConfiguration.class, EventStoreAutoConfiguration.class));

    @Test
    void byDefaultTheStartersStoreKeepsItsEventsInMemory() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(EventStore.class).doesNotHaveBean(DataSource.class);
            assertThat(context.getBean(EventStorage.class)).isInstanceOf(InMemoryEventStorage.class);
        });
    }

    @Test
    void thePropertyChoosesTheBackendInEverySpelling() {
        runner.withPropertyValues("event-store.test.backend=in-memory")
                .run(context -> assertThat(context).hasSingleBean(InMemoryEventStorage.class));
        runner.withPropertyValues("event-store.test.backend=IN_MEMORY")
                .run(context -> assertThat(context).hasSingleBean(InMemoryEventStorage.class));
        runner.withPropertyValues("event-store.test.backend=jpa")
                .run(context -> assertThat(context).doesNotHaveBean(InMemoryEventStorage.class)
                        .doesNotHaveBean(EventStore.class));
    }

    @Test
    void anApplicationsOwnStorageIsKept() {
        runner.withUserConfiguration(OwnStorage.class).run(context -> {
            assertThat(context).hasSingleBean(EventStorage.class);
            assertThat(context.getBean(EventStorage.class)).isSameAs(context.getBean(OwnStorage.class).storage);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStorage {

        final InMemoryEventStorage storage = new InMemoryEventStorage();

        @Bean
        EventStorage ownStorage() {
            return storage;
        }
    }
}

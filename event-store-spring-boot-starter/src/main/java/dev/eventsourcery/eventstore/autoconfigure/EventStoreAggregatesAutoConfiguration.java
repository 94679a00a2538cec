package dev.eventsourcery.eventstore.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.aggregate.UnitOfWork;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.spring.aggregate.AggregateRepositories;
import dev.eventsourcery.eventstore.spring.aggregate.TransactionalUnitOfWork;
import dev.eventsourcery.eventstore.storage.EventStorage;

/**
 * Auto-configures {@link AggregateRepositories} on the application's {@link EventStore}, whose commands run in
 * the transactions the store joins, with {@code event-store.aggregates.max-attempts} attempts per update. Each
 * bean backs off when the application defines its own.
 */
@AutoConfiguration(after = EventStoreAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "event-store.enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(EventStore.class)
@EnableConfigurationProperties(EventStoreProperties.class)
public final class EventStoreAggregatesAutoConfiguration {

    /**
     * Where commands' attempts run: in the transactions of the JPA store's transaction manager (see
     * {@link EventStoreTransactionManagers}), else of the application's only transaction manager; directly when
     * there is none.
     */
    @Bean
    @ConditionalOnMissingBean
    UnitOfWork aggregateUnitOfWork(ObjectProvider<EventStorage> eventStorage,
            ObjectProvider<PlatformTransactionManager> transactionManagers) {
        if (eventStorage.getIfUnique() instanceof JpaEventStorage jpa) {
            return new TransactionalUnitOfWork(jpa.transactionManager());
        }
        PlatformTransactionManager transactionManager = transactionManagers.getIfUnique();
        return transactionManager != null ? new TransactionalUnitOfWork(transactionManager) : UnitOfWork.direct();
    }

    /** Repositories of aggregates on the injected, tenant-aware event store. */
    @Bean
    @ConditionalOnMissingBean
    AggregateRepositories aggregateRepositories(EventStore eventStore, UnitOfWork aggregateUnitOfWork,
            EventStoreProperties properties) {
        int maxAttempts = properties.getAggregates().getMaxAttempts();
        if (maxAttempts < 1) {
            throw new InvalidConfigurationPropertyValueException("event-store.aggregates.max-attempts", maxAttempts,
                    "An aggregate update needs at least 1 attempt");
        }
        return new AggregateRepositories(eventStore, aggregateUnitOfWork, maxAttempts);
    }
}

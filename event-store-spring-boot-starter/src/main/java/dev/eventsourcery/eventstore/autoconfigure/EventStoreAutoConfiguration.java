package dev.eventsourcery.eventstore.autoconfigure;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.TenantResolver;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.serialization.EventSerializer;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.EventUpcasters;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * Auto-configures a tenant-aware {@link EventStore} backed by JPA on the application's
 * {@code EntityManagerFactory} and transaction manager. Every bean backs off when the application
 * defines its own; {@code event-store.enabled=false} turns it all off.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class},
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnBooleanProperty(name = "event-store.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventStoreProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class EventStoreAutoConfiguration {

    /** The default tenant for every call; define a {@link TenantResolver} bean to choose tenants per call. */
    @Bean
    @ConditionalOnMissingBean
    TenantResolver tenantResolver() {
        return () -> TenantId.DEFAULT;
    }

    /**
     * The JPA backend on the application's persistence unit, in the transactions of the manager that binds a
     * JDBC connection of its {@code DataSource} (see {@link EventStoreTransactionManagers}).
     */
    @Bean
    @ConditionalOnMissingBean(EventStorage.class)
    @ConditionalOnSingleCandidate(EntityManagerFactory.class)
    JpaEventStorage eventStorage(EntityManagerFactory entityManagerFactory, ListableBeanFactory beans,
            EventStoreProperties properties, ObjectProvider<DataSource> dataSources) {
        // the persistence unit starts after every schema tool (scripts, Flyway, Liquibase): the tables are final
        DataSource dataSource = dataSources.getIfUnique();
        if (dataSource != null && properties.getJdbc().isCheckSchema()) {
            EventStoreSchemaCheck.verify(dataSource);
        }
        PlatformTransactionManager transactionManager = EventStoreTransactionManagers.choose(beans,
                entityManagerFactory, properties.getTransactionManager());
        return new JpaEventStorage(entityManagerFactory, transactionManager, properties.getJpa().getBatchSize(),
                properties.getJpa().getFetchSize(), properties.getLog().getPollInterval());
    }

    /**
     * Publishes an {@link dev.eventsourcery.eventstore.spring.EventAppended} for every appended event, inside the
     * appending transaction, while the application listens for them.
     */
    @Bean
    @ConditionalOnBean(EventStorage.class)
    EventAppendedPublisher eventAppendedPublisher(ApplicationContext context, EventStorage eventStorage) {
        return new EventAppendedPublisher(context, eventStorage instanceof JpaEventStorage jpa
                ? jpa.transactionManager() : null);
    }

    /** The event store; it asks the {@link TenantResolver} for the tenant on every call. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(EventStorage.class)
    EventStore eventStore(EventStorage eventStorage, EventTypeRegistry eventTypeRegistry, EventSerializer eventSerializer,
            EventUpcasters eventUpcasters, TenantResolver tenantResolver, EventStoreProperties properties,
            EventAppendedPublisher publisher) {
        return StorageEventStore.builder(eventStorage)
                .appendInterceptor(publisher)
                .registry(eventTypeRegistry)
                .serializer(eventSerializer)
                .upcasters(eventUpcasters)
                .tenantResolver(tenantResolver)
                .maxEventSize(properties.getMaxEventSize().toBytes())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    EventStoreSchemaInitializer eventStoreSchemaInitializer(DataSource dataSource, EventStoreProperties properties) {
        return new EventStoreSchemaInitializer(dataSource, properties.getJdbc());
    }
}

package dev.eventsourcery.eventstore.autoconfigure;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.ClassUtils;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventType;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.TenantResolver;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.serialization.EventSerializer;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.JacksonEventSerializer;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

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

    /**
     * The event type registry, with the {@code @EventType} classes of the application's packages (its
     * auto-configuration packages) registered up front, so that a freshly started application can load
     * streams written before it started.
     */
    @Bean
    @ConditionalOnMissingBean
    EventTypeRegistry eventTypeRegistry(BeanFactory beanFactory) {
        EventTypeRegistry registry = new EventTypeRegistry();
        if (!AutoConfigurationPackages.has(beanFactory)) {
            return registry;
        }
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(EventType.class));
        ClassLoader classLoader = EventStoreAutoConfiguration.class.getClassLoader();
        for (String basePackage : AutoConfigurationPackages.get(beanFactory)) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                registry.register(ClassUtils.resolveClassName(candidate.getBeanClassName(), classLoader));
            }
        }
        return registry;
    }

    /**
     * JSON serialization on the application's Jackson {@link JsonMapper} when it has one (its modules and
     * settings apply to events), with time zone adjustment off so that every supported type round-trips
     * exactly; on the event store's default mapper otherwise.
     */
    @Bean
    @ConditionalOnMissingBean
    EventSerializer eventSerializer(ObjectProvider<JsonMapper> jsonMapper) {
        JsonMapper applicationMapper = jsonMapper.getIfUnique();
        if (applicationMapper == null) {
            return new JacksonEventSerializer();
        }
        return new JacksonEventSerializer(applicationMapper.rebuild()
                .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build());
    }

    /** The default tenant for every call; define a {@link TenantResolver} bean to choose tenants per call. */
    @Bean
    @ConditionalOnMissingBean
    TenantResolver tenantResolver() {
        return () -> TenantId.DEFAULT;
    }

    @Bean
    @ConditionalOnMissingBean(EventStorage.class)
    @ConditionalOnSingleCandidate(EntityManagerFactory.class)
    JpaEventStorage eventStorage(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager,
            EventStoreProperties properties) {
        return new JpaEventStorage(entityManagerFactory, transactionManager, properties.getJpa().getBatchSize(),
                properties.getJpa().getFetchSize());
    }

    /** The event store; it asks the {@link TenantResolver} for the tenant on every call. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(EventStorage.class)
    EventStore eventStore(EventStorage eventStorage, EventTypeRegistry eventTypeRegistry, EventSerializer eventSerializer,
            TenantResolver tenantResolver, EventStoreProperties properties) {
        return StorageEventStore.builder(eventStorage)
                .registry(eventTypeRegistry)
                .serializer(eventSerializer)
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

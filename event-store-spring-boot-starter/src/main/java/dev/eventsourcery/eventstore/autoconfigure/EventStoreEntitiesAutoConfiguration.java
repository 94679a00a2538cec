package dev.eventsourcery.eventstore.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.tool.schema.spi.SchemaFilterProvider;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;
import org.springframework.util.ClassUtils;

import dev.eventsourcery.eventstore.jpa.EventStoreSchemaFilterProvider;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;

/**
 * Makes the event store's entities part of the application's persistence unit, so they share its
 * {@code EntityManagerFactory} and transactions.
 *
 * <p>Like Spring Modulith's JPA module, it registers the entities' package as an auto-configuration
 * package before Hibernate's auto-configuration scans them. An application that declares
 * {@code @EntityScan} replaces those packages with its own, so the managed types Boot scanned are also
 * completed with the event store's entities when they are missing.
 */
@AutoConfiguration(before = HibernateJpaAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "event-store.enabled", matchIfMissing = true)
@AutoConfigurationPackage(basePackageClasses = JpaEventStorage.class)
public final class EventStoreEntitiesAutoConfiguration {

    /**
     * Keeps Hibernate's schema tool ({@code spring.jpa.hibernate.ddl-auto}) away from the event store's tables:
     * {@code create} or {@code create-drop} would drop them, and every stored event, on each start. Only the
     * shipped scripts create them; {@code validate} still checks them. A schema filter provider the application
     * configured itself keeps filtering every other table.
     */
    @Bean
    HibernatePropertiesCustomizer eventStoreSchemaFilter() {
        return properties -> properties.put(SchemaToolingSettings.HBM2DDL_FILTER_PROVIDER,
                withEventStoreTables(properties.get(SchemaToolingSettings.HBM2DDL_FILTER_PROVIDER)));
    }

    private static SchemaFilterProvider withEventStoreTables(@Nullable Object configured) {
        if (configured == null) {
            return new EventStoreSchemaFilterProvider();
        }
        if (configured instanceof EventStoreSchemaFilterProvider provider) {
            return provider;
        }
        if (configured instanceof SchemaFilterProvider provider) {
            return new EventStoreSchemaFilterProvider(provider);
        }
        Class<?> type = configured instanceof Class<?> given ? given
                : ClassUtils.resolveClassName(configured.toString().trim(), EventStoreEntitiesAutoConfiguration.class
                        .getClassLoader());
        if (type == EventStoreSchemaFilterProvider.class) {
            return new EventStoreSchemaFilterProvider();
        }
        return new EventStoreSchemaFilterProvider(
                (SchemaFilterProvider) BeanUtils.instantiateClass(type));
    }

    @Bean
    static BeanPostProcessor eventStoreManagedTypes() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof PersistenceManagedTypes types)) {
                    return bean;
                }
                List<String> missing = JpaEventStorage.entityClassNames().stream()
                        .filter(name -> !types.getManagedClassNames().contains(name))
                        .toList();
                if (missing.isEmpty()) {
                    return bean;
                }
                List<String> classNames = new ArrayList<>(types.getManagedClassNames());
                classNames.addAll(missing);
                return PersistenceManagedTypes.of(classNames, types.getManagedPackages());
            }
        };
    }
}

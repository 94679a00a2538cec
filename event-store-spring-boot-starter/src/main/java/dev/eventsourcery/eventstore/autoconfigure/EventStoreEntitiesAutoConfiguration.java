package dev.eventsourcery.eventstore.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

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

package dev.eventsourcery.eventstore.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.EntityManagerFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.transaction.PlatformTransactionManager;

import dev.eventsourcery.eventstore.jpa.JpaEventStorage;

/**
 * Which of the application's transaction managers the event store joins: the one named by
 * {@code event-store.transaction-manager}, else the only one that binds a JDBC connection of the
 * persistence unit's {@code DataSource} (a {@code JpaTransactionManager} for its
 * {@code EntityManagerFactory}, or a {@code DataSourceTransactionManager} for the {@code DataSource}), else
 * the primary one among several that do. Anything else fails the start-up with a message naming every
 * manager found and why it cannot be used.
 */
final class EventStoreTransactionManagers {

    private EventStoreTransactionManagers() {
    }

    static PlatformTransactionManager choose(ListableBeanFactory beans, EntityManagerFactory entityManagerFactory,
            @Nullable String name) {
        if (name != null && !name.isBlank()) {
            PlatformTransactionManager named = beans.getBean(name, PlatformTransactionManager.class);
            String refusal = JpaEventStorage.whyCannotJoin(named, entityManagerFactory);
            if (refusal != null) {
                throw new IllegalStateException("event-store.transaction-manager names '" + name + "': " + refusal);
            }
            return named;
        }
        Map<String, PlatformTransactionManager> managers = beans.getBeansOfType(PlatformTransactionManager.class);
        Map<String, PlatformTransactionManager> joinable = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        managers.forEach((bean, manager) -> {
            String refusal = JpaEventStorage.whyCannotJoin(manager, entityManagerFactory);
            if (refusal == null) {
                joinable.put(bean, manager);
            } else {
                refused.put(bean, refusal);
            }
        });
        if (joinable.size() == 1) {
            return joinable.values().iterator().next();
        }
        if (joinable.isEmpty()) {
            throw new IllegalStateException("No transaction manager can run the event store's statements in its "
                    + "transactions" + (refused.isEmpty() ? " (none is defined)" : ": " + refused));
        }
        List<String> primary = joinable.keySet().stream().filter(bean -> isPrimary(beans, bean)).toList();
        if (primary.size() == 1) {
            return joinable.get(primary.get(0));
        }
        throw new IllegalStateException("Several transaction managers can run the event store's statements in their "
                + "transactions: " + joinable.keySet() + "; name the one whose transactions your code uses with the "
                + "property event-store.transaction-manager, or make it @Primary");
    }

    private static boolean isPrimary(ListableBeanFactory beans, String bean) {
        return beans instanceof ConfigurableListableBeanFactory configurable && configurable.containsBeanDefinition(bean)
                && configurable.getBeanDefinition(bean).isPrimary();
    }
}

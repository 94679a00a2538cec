package dev.eventsourcery.eventstore.test.autoconfigure;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * The JPA backend of an {@link EventStoreTest}: what the starter's JPA store needs of the application, a data
 * source, Hibernate, transactions and the database's migrations (the auto-configurations listed in
 * {@code META-INF/spring/dev.eventsourcery.eventstore.test.autoconfigure.JpaBackend.imports}). Imported only on
 * this backend, they are ordered together with the test's other auto-configurations.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(EventStoreTest.Backend.JPA)
@ImportAutoConfiguration
class JpaBackend {
}

package dev.eventsourcery.eventstore.amqp;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.eventsourcery.eventstore.amqp.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.autoconfigure.EventSerializationAutoConfiguration;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreAutoConfiguration;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreEntitiesAutoConfiguration;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreHealthAutoConfiguration;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreMetricsAutoConfiguration;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreOutboxAutoConfiguration;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreProjectionsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The application the outbox tests run: the event store with its projections, metrics and health, Spring Boot's
 * RabbitMQ support and the outbox.
 */
final class OutboxTestApplication {

    private OutboxTestApplication() {
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = MoneyDeposited.class)
    static class ApplicationPackage {
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** The application with the projections' and the outbox's defaults. */
    static ApplicationContextRunner application() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                        EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                        EventStoreAutoConfiguration.class, EventStoreOutboxAutoConfiguration.class,
                        EventStoreProjectionsAutoConfiguration.class, EventStoreMetricsAutoConfiguration.class,
                        EventStoreHealthAutoConfiguration.class, RabbitAutoConfiguration.class,
                        EventStoreAmqpOutboxAutoConfiguration.class))
                .withUserConfiguration(ApplicationPackage.class, Meters.class);
    }

    /** The application as the tests run it: quick retries, a short lease, a confirm time-out of half of it. */
    static ApplicationContextRunner runner() {
        return application().withPropertyValues("event-store.projections.initial-back-off=20ms",
                "event-store.projections.max-back-off=200ms", "event-store.projections.poll-timeout=200ms",
                "event-store.projections.lease-timeout=3s", "event-store.outbox.confirm-timeout=1500ms");
    }
}

package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.ProjectionObserver;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * An application without Micrometer and without Actuator (their packages hidden from its class loader): the
 * store and its projections work as before, and none of the observability beans is there.
 */
class WithoutMicrometerAndActuatorTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withClassLoader(new FilteredClassLoader("io.micrometer.", "org.springframework.boot.actuate.",
                    "org.springframework.boot.health.", "org.springframework.boot.micrometer."))
            .withUserConfiguration(Application.class, CountingProjection.class)
            .withPropertyValues("spring.datasource.generate-unique-name=true",
                    "management.endpoints.web.exposure.include=*", "event-store.projections.poll-timeout=200ms",
                    "event-store.projections.lease-timeout=3s");

    /**
     * The application, importing the auto-configurations as Spring Boot does (by name, after the class
     * conditions of the starter's auto-configuration metadata), the observability ones included.
     */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
            TransactionAutoConfiguration.class, EventStoreEntitiesAutoConfiguration.class,
            EventSerializationAutoConfiguration.class, EventStoreAutoConfiguration.class,
            EventStoreProjectionsAutoConfiguration.class, EventStoreMetricsAutoConfiguration.class,
            EventStoreHealthAutoConfiguration.class, EventStoreEndpointAutoConfiguration.class})
    static class Application {
    }

    @Projection(name = "counting")
    static class Counting {

        final Set<Long> handled = ConcurrentHashMap.newKeySet();

        @ProjectionHandler
        void on(RecordedEvent<MoneyDeposited> deposited) {
            handled.add(deposited.position().value());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CountingProjection {
        @Bean
        Counting counting() {
            return new Counting();
        }
    }

    @Test
    void theStoreAndItsProjectionsWorkWithNoObservabilityBean() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", context.getClassLoader()))
                    .isFalse();
            assertThat(ClassUtils.isPresent("org.springframework.boot.health.contributor.HealthIndicator",
                    context.getClassLoader())).isFalse();
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1), new MoneyDeposited("a", 2));
            store.scopedForTenant("acme").appendEvents(stream, 0, new MoneyDeposited("a", 3));
            assertThat(store.loadStream(stream)).hasSize(2);
            Counting counting = context.getBean(Counting.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> counting.handled.size() == 3);
            assertThat(context.getBean(Projections.class).status("counting")).isPresent();

            assertThat(store).isNotInstanceOf(ObservedEventStore.class);
            assertThat(context).doesNotHaveBean(ObservedEventStorePostProcessor.class)
                    .doesNotHaveBean(ProjectionObserver.class).doesNotHaveBean("projectionLagMeters")
                    .doesNotHaveBean("eventStoreHealthIndicator").doesNotHaveBean(EventStoreEndpoint.class)
                    .doesNotHaveBean(EventStoreEndpointWebExtension.class);
        });
    }
}

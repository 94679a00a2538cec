package dev.eventsourcery.eventstore.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.spring.projection.ProjectionObserver;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * With Micrometer, observes the event store: appends and loads as observations {@code eventstore.append} and
 * {@code eventstore.load} (timers, and spans with a tracer) tagged with their {@code outcome}, the counters
 * {@code eventstore.events.appended}, {@code eventstore.append.conflicts} and {@code eventstore.append.duplicates}
 * and the summary {@code eventstore.append.batch.size}; projection batches as observations
 * {@code eventstore.projection.batch}, the counters {@code eventstore.projection.events} and
 * {@code eventstore.projection.failures}, and the gauges {@code eventstore.projection.lag} and
 * {@code eventstore.projection.lag.time}, all tagged with the projection's name.
 *
 * <p>It needs a {@code MeterRegistry} or an {@code ObservationRegistry} bean, as Spring Boot's Actuator
 * defines; with only a meter registry, the observations are timed on it all the same. Every {@code EventStore}
 * bean, the application's own included, is wrapped: inject it as {@code EventStore}.
 */
@AutoConfiguration(after = {EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class},
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, ObservationRegistry.class})
@ConditionalOnBean(EventStore.class)
@Conditional(EventStoreMetricsAutoConfiguration.OnMeterOrObservationRegistry.class)
@EnableConfigurationProperties(EventStoreProperties.class)
public final class EventStoreMetricsAutoConfiguration {

    /** Observes every {@code EventStore} bean and the tenant views it gives. */
    @Bean
    static ObservedEventStorePostProcessor observedEventStorePostProcessor(
            ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<MeterRegistry> meterRegistry) {
        return new ObservedEventStorePostProcessor(() -> {
            MeterRegistry meters = meterRegistry(meterRegistry);
            return new EventStoreObservations(observationRegistry(observationRegistry, meters), meters);
        });
    }

    /** Observes the projections' batches and counts their events and failures. */
    @Bean
    @ConditionalOnMissingBean(name = "eventStoreProjectionObserver")
    ProjectionObserver eventStoreProjectionObserver(ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<MeterRegistry> meterRegistry) {
        MeterRegistry meters = meterRegistry(meterRegistry);
        return new MicrometerProjectionObserver(observationRegistry(observationRegistry, meters), meters);
    }

    /** The projections' lag gauges, read at most once per {@code event-store.metrics.lag-refresh-interval}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({Projections.class, MeterRegistry.class})
    ProjectionLagMeters projectionLagMeters(Projections projections, EventStoreProperties properties) {
        return new ProjectionLagMeters(projections, properties.getMetrics().getLagRefreshInterval());
    }

    /** The application's meter registry; without one, a registry that keeps nothing. */
    private static MeterRegistry meterRegistry(ObjectProvider<MeterRegistry> meterRegistry) {
        MeterRegistry meters = meterRegistry.getIfUnique();
        return meters != null ? meters : new CompositeMeterRegistry();
    }

    /** The application's observation registry; without one, a registry that times observations on the meters. */
    private static ObservationRegistry observationRegistry(ObjectProvider<ObservationRegistry> observationRegistry,
            MeterRegistry meters) {
        @Nullable ObservationRegistry registry = observationRegistry.getIfUnique();
        if (registry != null) {
            return registry;
        }
        ObservationRegistry timing = ObservationRegistry.create();
        timing.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return timing;
    }

    /** A meter registry or an observation registry to report to. */
    static final class OnMeterOrObservationRegistry extends AnyNestedCondition {

        OnMeterOrObservationRegistry() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(MeterRegistry.class)
        static final class MeterRegistryBean {
        }

        @ConditionalOnBean(ObservationRegistry.class)
        static final class ObservationRegistryBean {
        }
    }
}

package dev.eventsourcery.eventstore.autoconfigure;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.spring.projection.ProjectionRunners;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * With Spring Boot's health support, reports the event store's health as {@code eventStore}: its tables and
 * its projections ({@link EventStoreHealthIndicator}); {@code management.health.eventstore.enabled=false}
 * switches it off.
 */
@AutoConfiguration(after = {EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class})
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(EventStore.class)
@ConditionalOnEnabledHealthIndicator("eventstore")
@EnableConfigurationProperties(EventStoreProperties.class)
public final class EventStoreHealthAutoConfiguration {

    /** Since when each projection this instance runs has kept failing, told by the runners. */
    @Bean
    ProjectionFailures eventStoreProjectionFailures() {
        return new ProjectionFailures(Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean(name = "eventStoreHealthIndicator")
    HealthIndicator eventStoreHealthIndicator(EventStore eventStore, ObjectProvider<JpaEventStorage> storage,
            ObjectProvider<Projections> projections, EventStoreProperties properties,
            ProjectionFailures failures) {
        JpaEventStorage jpa = storage.getIfUnique();
        Projections found = projections.getIfUnique();
        long lagThreshold = found instanceof ProjectionRunners runners ? runners.settings().lagThreshold()
                : properties.getProjections().getLagThreshold();
        return new EventStoreHealthIndicator(eventStore, jpa != null ? jpa.dataSource() : null, found, lagThreshold,
                failures, properties.getProjections().getFailingDownAfter(), Clock.systemUTC());
    }
}

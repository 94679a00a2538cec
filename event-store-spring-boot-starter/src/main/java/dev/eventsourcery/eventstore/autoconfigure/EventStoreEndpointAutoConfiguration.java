package dev.eventsourcery.eventstore.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.spring.projection.ProjectionRunners;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * With Spring Boot's Actuator, the endpoint {@code eventstore} ({@link EventStoreEndpoint}), when it is available:
 * exposed ({@code management.endpoints.web.exposure.include=eventstore}) and not switched off
 * ({@code management.endpoint.eventstore.access=none}). It only reads unless given
 * {@code management.endpoint.eventstore.access=unrestricted}.
 */
@AutoConfiguration(after = {EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class})
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(EventStore.class)
@ConditionalOnAvailableEndpoint(EventStoreEndpoint.class)
@EnableConfigurationProperties(EventStoreProperties.class)
public final class EventStoreEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventStoreEndpoint eventStoreEndpoint(EventStore eventStore, ObjectProvider<Projections> projections,
            EventStoreProperties properties) {
        Projections found = projections.getIfUnique();
        long lagThreshold = found instanceof ProjectionRunners runners ? runners.settings().lagThreshold()
                : properties.getProjections().getLagThreshold();
        return new EventStoreEndpoint(eventStore, found, lagThreshold);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(EventStoreEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    EventStoreEndpointWebExtension eventStoreEndpointWebExtension(EventStoreEndpoint endpoint) {
        return new EventStoreEndpointWebExtension(endpoint);
    }
}

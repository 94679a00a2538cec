package dev.eventsourcery.eventstore.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionDeclaration;
import dev.eventsourcery.eventstore.spring.projection.ProjectionObserver;
import dev.eventsourcery.eventstore.spring.projection.ProjectionRunners;
import dev.eventsourcery.eventstore.spring.projection.ProjectionSettings;

/**
 * Runs the application's {@link Projection} beans and {@link ProjectionDeclaration} beans on the JPA event
 * store's database, in the transactions of the store's transaction manager, configured under
 * {@code event-store.projections.*}.
 */
@AutoConfiguration(after = EventStoreAutoConfiguration.class)
@ConditionalOnBean({EventStore.class, JpaEventStorage.class})
public final class EventStoreProjectionsAutoConfiguration {

    /**
     * The projections, started with the context unless {@code event-store.projections.enabled=false}, reporting
     * their batches to the {@link ProjectionObserver} beans (the metrics' one, when Micrometer is there).
     */
    @Bean
    @ConditionalOnMissingBean
    ProjectionRunners projectionRunners(EventStore eventStore, JpaEventStorage eventStorage,
            EventStoreProperties properties, ApplicationContext context, ObjectProvider<ProjectionObserver> observers) {
        EventStoreProperties.Projections projections = properties.getProjections();
        String instanceId = projections.getInstanceId() != null ? projections.getInstanceId() : instanceId();
        ProjectionSettings settings = new ProjectionSettings(instanceId, projections.getBatchSize(),
                projections.getMaxAttempts(), projections.getInitialBackOff(), projections.getBackOffMultiplier(),
                projections.getMaxBackOff(), projections.getLeaseTimeout(), projections.getPollTimeout(),
                projections.getLagThreshold());
        List<Object> declared = new ArrayList<>(context.getBeansWithAnnotation(Projection.class).values());
        declared.addAll(context.getBeansOfType(ProjectionDeclaration.class).values());
        return new ProjectionRunners(eventStore, eventStorage.dataSource(), eventStorage.transactionManager(), settings,
                declared, projections.isEnabled(), ProjectionObservers.of(observers.orderedStream().toList()));
    }

    /** The host name, the process id and a random part: unique among the instances sharing a database. */
    private static String instanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String id = host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
        return id.length() <= 255 ? id : id.substring(id.length() - 255);
    }
}

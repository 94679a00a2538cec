package dev.eventsourcery.eventstore.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.serialization.EventSerializer;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.EventUpcasters;
import dev.eventsourcery.eventstore.serialization.JacksonEventSerializer;
import dev.eventsourcery.eventstore.serialization.Upcaster;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configures how events are stored: the {@link EventTypeRegistry} that ties stored type names to the
 * application's classes, the {@link EventUpcasters} that bring older stored events up to their classes, and
 * the {@link EventSerializer} that writes events as JSON. Each backs off when
 * the application defines its own.
 */
@AutoConfiguration(before = EventStoreAutoConfiguration.class,
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnBooleanProperty(name = "event-store.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventStoreProperties.class)
public final class EventSerializationAutoConfiguration {

    /**
     * The event type registry over the classes of the application's packages (its auto-configuration
     * packages) and of {@code event-store.event-types.packages}, so that an application started afresh loads
     * every stream written before: {@code @EventType} classes there are registered at start-up (two with one
     * name fail it), and a stored type name without a registered class finds the class of that simple name
     * there. Classes are loaded with the application's class loader, which is not the starter's under
     * Spring Boot devtools.
     */
    @Bean
    @ConditionalOnMissingBean
    EventTypeRegistry eventTypeRegistry(ConfigurableListableBeanFactory beanFactory, Environment environment,
            EventStoreProperties properties) {
        ScannedEventClasses scanned = ScannedEventClasses.scan(scannedPackages(beanFactory, properties),
                beanFactory.getBeanClassLoader(), environment);
        return new EventTypeRegistry(scanned).register(scanned.annotatedClasses().toArray(Class<?>[]::new));
    }

    private static List<String> scannedPackages(ConfigurableListableBeanFactory beanFactory,
            EventStoreProperties properties) {
        Set<String> packages = new LinkedHashSet<>();
        if (AutoConfigurationPackages.has(beanFactory)) {
            packages.addAll(AutoConfigurationPackages.get(beanFactory));
            // registered by EventStoreEntitiesAutoConfiguration for the event store's entities: no events there
            packages.remove(JpaEventStorage.class.getPackageName());
        }
        for (String configured : properties.getEventTypes().getPackages()) {
            if (StringUtils.hasText(configured)) {
                packages.add(configured.trim());
            }
        }
        return new ArrayList<>(packages);
    }

    /**
     * The application's {@link Upcaster} beans, which every stored event passes through on its way from the
     * schema version it was written with to its class's.
     */
    @Bean
    @ConditionalOnMissingBean
    EventUpcasters eventUpcasters(ObjectProvider<Upcaster> upcasters) {
        return EventUpcasters.of(upcasters.orderedStream().toList());
    }

    /**
     * JSON serialization on the event store's own mapper: {@link JacksonEventSerializer#defaultMapper()}
     * with the modules of the application's {@link JsonMapper} (so that serializers of the application's
     * value types apply to events too), then the {@link EventStoreJsonMapperBuilderCustomizer} beans. The
     * application mapper's settings (naming strategy, inclusion, date and enum formats) are left out: they
     * serve its HTTP API, and following them would change the stored format and break loading the events
     * stored before.
     */
    @Bean
    @ConditionalOnMissingBean
    EventSerializer eventSerializer(ObjectProvider<JsonMapper> applicationMapper,
            ObjectProvider<EventStoreJsonMapperBuilderCustomizer> customizers) {
        JsonMapper.Builder builder = JacksonEventSerializer.defaultMapper().rebuild();
        JsonMapper application = applicationMapper.getIfUnique();
        if (application != null) {
            builder.addModules(application.registeredModules());
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return new JacksonEventSerializer(builder.build());
    }
}

package dev.eventsourcery.eventstore.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.util.StringUtils;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.IllegalTenantIdException;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.serialization.EventSerializer;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.spring.outbox.Outbox;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublisher;
import dev.eventsourcery.eventstore.spring.outbox.OutboxSettings;
import dev.eventsourcery.eventstore.spring.projection.ProjectionDeclaration;

/**
 * With {@code event-store.outbox.enabled=true} and an {@link OutboxPublisher} bean (the application's own, or
 * the one of {@code event-store-amqp}), declares the {@link Outbox} projection, configured under
 * {@code event-store.outbox.*}, which the projections' auto-configuration then runs.
 */
@AutoConfiguration(after = EventStoreAutoConfiguration.class, before = EventStoreProjectionsAutoConfiguration.class)
@ConditionalOnBooleanProperty("event-store.outbox.enabled")
@ConditionalOnBean({EventStore.class, JpaEventStorage.class, OutboxPublisher.class})
@EnableConfigurationProperties(EventStoreProperties.class)
public final class EventStoreOutboxAutoConfiguration {

    /** The outbox's projection, publishing through the application's {@link OutboxPublisher}. */
    @Bean
    @ConditionalOnMissingBean(name = "eventStoreOutbox")
    ProjectionDeclaration eventStoreOutbox(OutboxPublisher publisher, EventSerializer eventSerializer,
            EventTypeRegistry eventTypeRegistry, EventStoreProperties properties) {
        return Outbox.projection(settings(properties.getOutbox()), publisher, eventSerializer, eventTypeRegistry);
    }

    static OutboxSettings settings(EventStoreProperties.Outbox outbox) {
        if (!StringUtils.hasText(outbox.getName()) || outbox.getName().length() > 255) {
            throw new InvalidConfigurationPropertyValueException("event-store.outbox.name", outbox.getName(),
                    "The outbox's name needs 1 to 255 characters");
        }
        if (outbox.getBatchSize() < 1) {
            throw new InvalidConfigurationPropertyValueException("event-store.outbox.batch-size",
                    outbox.getBatchSize(), "The outbox's batch size must be positive");
        }
        Set<TenantId> tenants = new LinkedHashSet<>();
        for (String tenant : outbox.getTenants()) {
            try {
                tenants.add(tenant == null || tenant.isEmpty() ? TenantId.DEFAULT : TenantId.of(tenant.trim()));
            } catch (IllegalTenantIdException e) {
                throw new InvalidConfigurationPropertyValueException("event-store.outbox.tenants", tenant,
                        e.getMessage());
            }
        }
        return new OutboxSettings(outbox.getName().trim(), texts(outbox.getCategories()),
                texts(outbox.getEventTypes()), tenants, outbox.getStartAt(), outbox.getBatchSize());
    }

    private static Set<String> texts(List<String> values) {
        Set<String> texts = new LinkedHashSet<>();
        for (String value : values) {
            if (StringUtils.hasText(value)) {
                texts.add(value.trim());
            }
        }
        return texts;
    }
}

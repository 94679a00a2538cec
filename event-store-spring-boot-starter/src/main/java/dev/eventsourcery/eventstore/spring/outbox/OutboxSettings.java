package dev.eventsourcery.eventstore.spring.outbox;

import java.util.Objects;
import java.util.Set;

import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.spring.projection.StartPosition;

/**
 * What the outbox publishes and how it reads the log; {@code event-store.outbox.*} in a Spring Boot
 * application. An empty filter lets every event through.
 *
 * @param name the name of the outbox's projection, under which its checkpoint is kept and it is operated
 * @param categories only events of streams in these categories
 * @param eventTypes only events of these stored type names
 * @param tenants only events of these tenants ({@link TenantId#DEFAULT} for the default one)
 * @param startAt where the outbox starts the first time it runs: {@link StartPosition#NOW} publishes only the
 *     events appended from then on, {@link StartPosition#BEGINNING} the whole log first
 * @param batchSize the most events read and published in one batch
 */
public record OutboxSettings(String name, Set<String> categories, Set<String> eventTypes, Set<TenantId> tenants,
        StartPosition startAt, int batchSize) {

    /** Checks the settings and copies the sets. */
    public OutboxSettings {
        Objects.requireNonNull(name, "name");
        categories = Set.copyOf(categories);
        eventTypes = Set.copyOf(eventTypes);
        tenants = Set.copyOf(tenants);
        Objects.requireNonNull(startAt, "startAt");
        if (batchSize < 1) {
            throw new IllegalArgumentException("The outbox's batch size must be positive, got " + batchSize);
        }
    }
}

package dev.eventsourcery.eventstore.autoconfigure;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.spring.projection.ProjectionState;
import dev.eventsourcery.eventstore.spring.projection.ProjectionStatus;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * The event store's health: DOWN when its tables cannot be reached or some are missing (detail
 * {@code missingTables}), or when a projection stopped on an event it failed to handle (state {@code FAILED},
 * with the position and the first line of the error); otherwise UP, with the log's {@code head} and each
 * projection's state, checkpoint, lag and owner in the details.
 *
 * <p>A paused projection and one lagging more than {@code event-store.projections.lag-threshold} events behind
 * the head ({@code "lagging": true}) are shown but leave the status UP: they are working as told, or catching
 * up, and a DOWN would make an orchestrator restart or take out of service an instance that restarting would
 * not help. Alert on the lag gauges, or on the {@code lagging} detail, instead.
 */
final class EventStoreHealthIndicator extends AbstractHealthIndicator {

    private final EventStore store;
    private final @Nullable DataSource dataSource;
    private final @Nullable Projections projections;
    private final long lagThreshold;

    /**
     * @param dataSource the database of the store's tables; {@code null} for a backend without tables
     * @param projections the application's projections; {@code null} when there are none
     */
    EventStoreHealthIndicator(EventStore store, @Nullable DataSource dataSource, @Nullable Projections projections,
            long lagThreshold) {
        super("The event store's health check failed");
        this.store = store;
        this.dataSource = dataSource;
        this.projections = projections;
        this.lagThreshold = lagThreshold;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        if (dataSource != null) {
            List<String> missing;
            try (Connection connection = dataSource.getConnection()) {
                missing = EventStoreSchemaCheck.missingTables(connection);
            }
            if (!missing.isEmpty()) {
                builder.down().withDetail("missingTables", missing);
                return;
            }
        }
        builder.up().withDetail("head", store.position().map(Position::value).orElse(0L));
        if (projections == null) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (ProjectionStatus status : projections.statuses()) {
            details.put(status.name(), details(status));
            if (status.state() == ProjectionState.FAILED) {
                builder.down();
            }
        }
        builder.withDetail("projections", details);
    }

    private Map<String, Object> details(ProjectionStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", status.state());
        details.put("checkpoint", status.checkpoint());
        details.put("lag", status.lag());
        details.put("timeLagSeconds", status.timeLag().toMillis() / 1000.0);
        details.put("lagging", status.lag() > lagThreshold);
        if (status.owner() != null) {
            details.put("owner", status.owner());
        }
        if (status.state() == ProjectionState.FAILED) {
            if (status.errorPosition() != null) {
                details.put("errorPosition", status.errorPosition());
            }
            String error = ProjectionErrorSummary.of(status.error());
            if (error != null) {
                details.put("error", error);
            }
        }
        details.put("deadLetterCount", status.deadLetters());
        return details;
    }
}

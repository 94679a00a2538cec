package dev.eventsourcery.eventstore.autoconfigure;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * {@code missingTables}) or lack columns of a later schema version (detail {@code missingColumns}), or when
 * a projection stopped on an event it failed to handle (state {@code FAILED}, with the position and the first
 * line of the error); otherwise UP, with the log's {@code head} and each projection's state, checkpoint, lag
 * and owner in the details.
 *
 * <p>A projection that has kept failing on an event for longer than
 * {@code event-store.projections.failing-down-after}, retrying it (as the outbox does without limit while its
 * broker is unreachable), is DOWN too, on the instance running it, with the detail {@code failingSince}.
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
    private final @Nullable ProjectionFailures failures;
    private final Duration failingDownAfter;
    private final Clock clock;

    /**
     * @param dataSource the database of the store's tables; {@code null} for a backend without tables
     * @param projections the application's projections; {@code null} when there are none
     * @param failures since when the projections this instance runs have kept failing; {@code null} when not
     *     known
     * @param failingDownAfter how long a projection may keep failing before it is DOWN
     */
    EventStoreHealthIndicator(EventStore store, @Nullable DataSource dataSource, @Nullable Projections projections,
            long lagThreshold, @Nullable ProjectionFailures failures, Duration failingDownAfter, Clock clock) {
        super("The event store's health check failed");
        this.store = store;
        this.dataSource = dataSource;
        this.projections = projections;
        this.lagThreshold = lagThreshold;
        this.failures = failures;
        this.failingDownAfter = failingDownAfter;
        this.clock = clock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        if (dataSource != null) {
            EventStoreSchemaCheck.Missing missing;
            try (Connection connection = dataSource.getConnection()) {
                missing = EventStoreSchemaCheck.inspect(connection);
            }
            if (!missing.tables().isEmpty()) {
                builder.down().withDetail("missingTables", missing.tables());
                return;
            }
            if (!missing.columns().isEmpty()) {
                builder.down().withDetail("missingColumns", missing.columns());
                return;
            }
        }
        builder.up().withDetail("head", store.position().map(Position::value).orElse(0L));
        if (projections == null) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (ProjectionStatus status : projections.statuses()) {
            Map<String, Object> projection = details(status);
            details.put(status.name(), projection);
            if (status.state() == ProjectionState.FAILED) {
                builder.down();
            }
            Instant failingSince = failures == null ? null : failures.failingSince(status.name());
            if (failingSince != null && status.state() == ProjectionState.RUNNING) {
                projection.put("failingSince", failingSince.toString());
                if (Duration.between(failingSince, clock.instant()).compareTo(failingDownAfter) > 0) {
                    builder.down();
                }
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

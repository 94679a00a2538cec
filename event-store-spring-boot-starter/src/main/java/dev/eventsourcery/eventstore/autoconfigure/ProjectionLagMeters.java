package dev.eventsourcery.eventstore.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.spring.projection.ProjectionStatus;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * The gauges of how far each projection is behind the log's head: {@code eventstore.projection.lag} in events
 * and {@code eventstore.projection.lag.time} in time, tagged with the projection's name. Reading them costs
 * database queries, so one reading serves every gauge until it is older than the refresh interval; a reading
 * that fails leaves the gauges without a value (NaN) until the next one.
 */
final class ProjectionLagMeters implements MeterBinder {

    private static final Log logger = LogFactory.getLog(ProjectionLagMeters.class);

    private final Projections projections;
    private final long refreshNanos;
    private @Nullable Map<String, ProjectionStatus> statuses;
    private long readAt;

    ProjectionLagMeters(Projections projections, Duration refreshInterval) {
        this.projections = projections;
        this.refreshNanos = refreshInterval.toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : projections.names()) {
            Gauge.builder("eventstore.projection.lag", this, meters -> meters.lag(name))
                    .description("Positions of the log after the projection's checkpoint").baseUnit("events")
                    .tag("projection", name).strongReference(true).register(registry);
            TimeGauge.builder("eventstore.projection.lag.time", this, TimeUnit.SECONDS, meters -> meters.timeLag(name))
                    .description("How long the oldest event the projection has not handled has been in the log")
                    .tag("projection", name).strongReference(true).register(registry);
        }
    }

    private double lag(String name) {
        ProjectionStatus status = status(name);
        return status == null ? Double.NaN : status.lag();
    }

    private double timeLag(String name) {
        ProjectionStatus status = status(name);
        return status == null ? Double.NaN : status.timeLag().toNanos() / 1e9;
    }

    private synchronized @Nullable ProjectionStatus status(String name) {
        long now = System.nanoTime();
        if (statuses == null || now - readAt >= refreshNanos) {
            Map<String, ProjectionStatus> read = new HashMap<>();
            try {
                for (ProjectionStatus status : projections.statuses()) {
                    read.put(status.name(), status);
                }
            } catch (RuntimeException e) {
                logger.debug("Could not read the projections' lag", e);
            }
            statuses = read;
            readAt = now;
        }
        return statuses.get(name);
    }
}

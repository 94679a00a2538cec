package dev.eventsourcery.eventstore.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import dev.eventsourcery.eventstore.spring.projection.ProjectionObserver;

/**
 * Observes projection batches with Micrometer: each batch's transaction runs inside an observation
 * {@code eventstore.projection.batch} (keys {@code projection} and {@code outcome}), and the counters
 * {@code eventstore.projection.events} and {@code eventstore.projection.failures}, tagged with the projection's
 * name, count the events handled and the failed attempts. A batch ends with the outcome {@code error} when it
 * is rolled back: a handler failed, or the projection was paused, reset or taken over while it ran.
 */
final class MicrometerProjectionObserver implements ProjectionObserver {

    static final String BATCH = "eventstore.projection.batch";

    private final ObservationRegistry registry;
    private final MeterRegistry meters;
    private final Map<String, Counter> handled = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    MicrometerProjectionObserver(ObservationRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.meters = meters;
    }

    @Override
    public void batch(String projection, int events, Runnable work) {
        Observation observation = Observation.createNotStarted(BATCH, registry)
                .contextualName("eventstore projection batch")
                .lowCardinalityKeyValue("projection", projection)
                .highCardinalityKeyValue("events", Integer.toString(events))
                .start();
        try (Observation.Scope scope = observation.openScope()) {
            work.run();
        } catch (RuntimeException | Error e) {
            observation.lowCardinalityKeyValue(EventStoreObservations.OUTCOME, "error").error(e).stop();
            throw e;
        }
        observation.lowCardinalityKeyValue(EventStoreObservations.OUTCOME, "success").stop();
    }

    @Override
    public void batchHandled(String projection, int events, long nanos) {
        handled.computeIfAbsent(projection, name -> Counter.builder("eventstore.projection.events")
                .description("Events a projection handled").tag("projection", name).register(meters))
                .increment(events);
    }

    @Override
    public void failed(String projection) {
        failures.computeIfAbsent(projection, name -> Counter.builder("eventstore.projection.failures")
                .description("Failed attempts of a projection to handle an event").tag("projection", name)
                .register(meters))
                .increment();
    }
}

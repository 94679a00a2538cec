package dev.eventsourcery.eventstore.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.DuplicateEventException;

/**
 * How an append and a load are observed: each runs inside an observation ({@code eventstore.append},
 * {@code eventstore.load}: a timer with Boot's meter handler, a span with a tracer) whose low-cardinality key
 * {@code outcome} says how it ended, and appends are counted: events appended, conflicts, duplicates, and
 * the events per append. Stream ids and tenants are never keys: they would make a meter per stream.
 */
final class EventStoreObservations {

    static final String APPEND = "eventstore.append";
    static final String LOAD = "eventstore.load";
    static final String OUTCOME = "outcome";

    private final ObservationRegistry registry;
    private final Counter appended;
    private final Counter conflicts;
    private final Counter duplicates;
    private final DistributionSummary batchSize;

    EventStoreObservations(ObservationRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.appended = Counter.builder("eventstore.events.appended")
                .description("Events appended to the event store").register(meters);
        this.conflicts = Counter.builder("eventstore.append.conflicts")
                .description("Appends refused because the stream was not at the expected version").register(meters);
        this.duplicates = Counter.builder("eventstore.append.duplicates")
                .description("Appends refused because an event id was already stored").register(meters);
        this.batchSize = DistributionSummary.builder("eventstore.append.batch.size")
                .description("Events per successful append").register(meters);
    }

    /** Runs an append of these events in an observation, counting it by how it ended. */
    void append(List<?> events, Runnable append) {
        Observation observation = Observation.createNotStarted(APPEND, registry).contextualName("eventstore append")
                .start();
        try (Observation.Scope scope = observation.openScope()) {
            append.run();
        } catch (RuntimeException | Error e) {
            String outcome = outcome(e);
            if (outcome.equals("conflict")) {
                conflicts.increment();
            } else if (outcome.equals("duplicate")) {
                duplicates.increment();
            }
            observation.lowCardinalityKeyValue(OUTCOME, outcome).error(e).stop();
            throw e;
        }
        observation.lowCardinalityKeyValue(OUTCOME, "success").stop();
        appended.increment(events.size());
        batchSize.record(events.size());
    }

    /** Runs a load in an observation. */
    <T> T load(Supplier<T> load) {
        Observation observation = Observation.createNotStarted(LOAD, registry).contextualName("eventstore load")
                .start();
        T loaded;
        try (Observation.Scope scope = observation.openScope()) {
            loaded = load.get();
        } catch (RuntimeException | Error e) {
            observation.lowCardinalityKeyValue(OUTCOME, "error").error(e).stop();
            throw e;
        }
        observation.lowCardinalityKeyValue(OUTCOME, "success").stop();
        return loaded;
    }

    private static String outcome(Throwable failure) {
        if (failure instanceof ConcurrentStreamWriteException) {
            return "conflict";
        }
        if (failure instanceof DuplicateEventException) {
            return "duplicate";
        }
        return "error";
    }
}

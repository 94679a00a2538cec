package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.spring.projection.FailurePolicy;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.ProjectionObserver;
import dev.eventsourcery.eventstore.spring.projection.Projections;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/**
 * The event store's metrics and observations, as Spring Boot's Micrometer auto-configuration and a tracer-like
 * observation handler see them: appends and loads timed by outcome and counted, tenant views included, projection
 * batches observed and counted, the lag gauges read lazily, and no tag that grows with streams or tenants.
 */
class EventStoreMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, ObservationAutoConfiguration.class,
                    EventStoreMetricsAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class, Observations.class)
            .withPropertyValues("spring.datasource.generate-unique-name=true",
                    "event-store.projections.initial-back-off=10ms", "event-store.projections.poll-timeout=200ms",
                    "event-store.projections.lease-timeout=3s");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    /** An observation registry that keeps what it saw, as a tracer would; Boot adds its meter handler to it. */
    @Configuration(proxyBeanMethods = false)
    static class Observations {
        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }
    }

    /** Deposits, failing (for good) on the accounts it is told to fail on. */
    @Projection(name = "metered", maxAttempts = 2, onFailure = FailurePolicy.DEAD_LETTER)
    static class Metered {

        final Set<String> failOn = ConcurrentHashMap.newKeySet();
        final Set<Long> handled = ConcurrentHashMap.newKeySet();

        @ProjectionHandler
        void on(RecordedEvent<MoneyDeposited> deposited) {
            if (failOn.contains(deposited.event().account())) {
                throw new IllegalStateException("cannot project " + deposited.event().account());
            }
            handled.add(deposited.position().value());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MeteredProjection {
        @Bean
        Metered metered() {
            return new Metered();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void appendsAndLoadsAreTimedByOutcomeAndAppendedEventsConflictsAndDuplicatesAreCounted(TestDatabase database) {
        database.assumeReachable();
        runner.withPropertyValues(database.properties()).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1), new MoneyDeposited("a", 2));
            assertThatThrownBy(() -> store.appendEvents(stream, 0, new MoneyDeposited("a", 3)))
                    .isInstanceOf(ConcurrentStreamWriteException.class);
            WrappedEvent<MoneyDeposited> once = WrappedEvent.wrap(new MoneyDeposited("b", 1));
            store.append(StreamId.random(), 0, once);
            assertThatThrownBy(() -> store.append(StreamId.random(), 0, once))
                    .isInstanceOf(DuplicateEventException.class);
            assertThat(store.loadStream(stream)).hasSize(2);
            assertThat(store.loadStream(StreamId.random())).isEmpty();

            assertThat(meters.get("eventstore.append").tag("outcome", "success").timer().count()).isEqualTo(2);
            assertThat(meters.get("eventstore.append").tag("outcome", "conflict").timer().count()).isEqualTo(1);
            assertThat(meters.get("eventstore.append").tag("outcome", "duplicate").timer().count()).isEqualTo(1);
            assertThat(meters.get("eventstore.load").tag("outcome", "success").timer().count()).isEqualTo(2);
            assertThat(meters.get("eventstore.events.appended").counter().count()).isEqualTo(3);
            assertThat(meters.get("eventstore.append.conflicts").counter().count()).isEqualTo(1);
            assertThat(meters.get("eventstore.append.duplicates").counter().count()).isEqualTo(1);
            assertThat(meters.get("eventstore.append.batch.size").summary().count()).isEqualTo(2);
            assertThat(meters.get("eventstore.append.batch.size").summary().totalAmount()).isEqualTo(3);
            assertThat(meters.get("eventstore.append.batch.size").summary().max()).isEqualTo(2);

            TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);
            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo("eventstore.append", 4)
                    .hasNumberOfObservationsWithNameEqualTo("eventstore.load", 2)
                    .hasAnObservation(observation -> observation.hasNameEqualTo("eventstore.append")
                            .hasLowCardinalityKeyValue("outcome", "success").doesNotHaveError())
                    .hasAnObservation(observation -> observation.hasNameEqualTo("eventstore.append")
                            .hasLowCardinalityKeyValue("outcome", "conflict").hasError())
                    .hasAnObservation(observation -> observation.hasNameEqualTo("eventstore.append")
                            .hasLowCardinalityKeyValue("outcome", "duplicate").hasError())
                    .hasAnObservation(observation -> observation.hasNameEqualTo("eventstore.load")
                            .hasLowCardinalityKeyValue("outcome", "success"));
        });
    }

    @Test
    void aTenantViewOfTheStoreIsObservedToo() {
        runner.run(context -> {
            EventStore acme = context.getBean(EventStore.class).scopedForTenant("acme");
            acme.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
            acme.scopedForTenant("other").appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
            acme.loadStream(StreamId.random());

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(acme).isInstanceOf(ObservedEventStore.class);
            assertThat(meters.get("eventstore.append").tag("outcome", "success").timer().count()).isEqualTo(2);
            assertThat(meters.get("eventstore.events.appended").counter().count()).isEqualTo(2);
            assertThat(meters.get("eventstore.load").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void noMeterOfTheStoreIsTaggedWithAStreamOrATenant() {
        runner.withUserConfiguration(MeteredProjection.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.named("account-42").withCategory("account");
            store.scopedForTenant("acme").appendEvents(stream, 0, new MoneyDeposited("a", 1));
            store.scopedForTenant("acme").loadStream(stream);
            await().atMost(WAIT).until(() -> context.getBean(Metered.class).handled.size() == 1);

            List<Meter> ours = context.getBean(MeterRegistry.class).getMeters().stream()
                    .filter(meter -> meter.getId().getName().startsWith("eventstore.")).toList();
            assertThat(ours).isNotEmpty();
            assertThat(ours).flatExtracting(meter -> meter.getId().getTags()).extracting(Tag::getKey)
                    .isSubsetOf("outcome", "error", "projection");
            assertThat(ours).flatExtracting(meter -> meter.getId().getTags()).extracting(Tag::getValue)
                    .doesNotContain("acme", stream.toString(), stream.uuid().toString(), "account-42", "account");
        });
    }

    @Test
    void projectionBatchesAreObservedAndTheirEventsAndFailuresCountedPerProjection() {
        runner.withUserConfiguration(MeteredProjection.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Metered projection = context.getBean(Metered.class);
            projection.failOn.add("bad");
            for (int i = 0; i < 5; i++) {
                store.appendEvents(StreamId.random(), 0, new MoneyDeposited("good", i));
            }
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited("bad", 1));
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited("good", 9));

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            await().atMost(WAIT).until(() -> projection.handled.size() == 6
                    && context.getBean(Projections.class).status("metered").orElseThrow().deadLetters() == 1);
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    meters.get("eventstore.projection.events").tag("projection", "metered").counter().count())
                    .isEqualTo(6));
            // the batch with the bad event failed once as a whole, then the bad event twice on its own
            assertThat(meters.get("eventstore.projection.failures").tag("projection", "metered").counter().count())
                    .isEqualTo(2);
            assertThat(meters.get("eventstore.projection.batch").tag("projection", "metered")
                    .tag("outcome", "success").timer().count()).isPositive();
            assertThat(meters.get("eventstore.projection.batch").tag("projection", "metered")
                    .tag("outcome", "error").timer().count()).isEqualTo(3);

            TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                    .hasAnObservation(observation -> observation.hasNameEqualTo("eventstore.projection.batch")
                            .hasLowCardinalityKeyValue("projection", "metered")
                            .hasLowCardinalityKeyValue("outcome", "success"))
                    .hasAnObservation(observation -> observation.hasNameEqualTo("eventstore.projection.batch")
                            .hasLowCardinalityKeyValue("projection", "metered")
                            .hasLowCardinalityKeyValue("outcome", "error").hasError());
        });
    }

    @Test
    void theLagGaugesShowHowFarEachProjectionIsBehindTheHead() {
        runner.withUserConfiguration(MeteredProjection.class)
                .withPropertyValues("event-store.metrics.lag-refresh-interval=0s").run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    Projections projections = context.getBean(Projections.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    projections.pause("metered");
                    for (int i = 0; i < 4; i++) {
                        store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", i));
                    }
                    Thread.sleep(200);

                    long head = store.position().orElseThrow().value();
                    assertThat(meters.get("eventstore.projection.lag").tag("projection", "metered").gauge().value())
                            .isEqualTo(head);
                    assertThat(meters.get("eventstore.projection.lag.time").tag("projection", "metered").timeGauge()
                            .value(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0.2);

                    projections.resume("metered");
                    await().atMost(WAIT).untilAsserted(() -> assertThat(meters.get("eventstore.projection.lag")
                            .tag("projection", "metered").gauge().value()).isZero());
                    assertThat(meters.get("eventstore.projection.lag.time").tag("projection", "metered").timeGauge()
                            .value(TimeUnit.SECONDS)).isZero();
                });
    }

    @Test
    void theLagGaugesReuseOneReadingUntilTheRefreshInterval() {
        runner.withUserConfiguration(MeteredProjection.class)
                .withPropertyValues("event-store.metrics.lag-refresh-interval=1h").run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    context.getBean(Projections.class).pause("metered");
                    store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    double first = meters.get("eventstore.projection.lag").tag("projection", "metered").gauge().value();
                    assertThat(first).isPositive();

                    store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 2), new MoneyDeposited("a", 3));
                    assertThat(context.getBean(Projections.class).status("metered").orElseThrow().lag())
                            .isGreaterThan((long) first);
                    assertThat(meters.get("eventstore.projection.lag").tag("projection", "metered").gauge().value())
                            .isEqualTo(first);
                });
    }

    @Test
    void withAMeterRegistryAloneTheObservationsAreStillTimed() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                        EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                        EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class,
                        EventStoreMetricsAutoConfiguration.class))
                .withUserConfiguration(ApplicationPackage.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("spring.datasource.generate-unique-name=true")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(ObservationRegistry.class);
                    context.getBean(EventStore.class).appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("eventstore.append").tag("outcome", "success").timer().count()).isEqualTo(1);
                    assertThat(meters.get("eventstore.events.appended").counter().count()).isEqualTo(1);
                });
    }

    @Test
    void theApplicationsOwnEventStoreIsObservedAndItsProjectionObserversAreCalledBesideTheMetricsOne() {
        RecordingObserver recording = new RecordingObserver();
        runner.withUserConfiguration(MeteredProjection.class)
                .withBean("applicationObserver", ProjectionObserver.class, () -> recording)
                .run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
                    await().atMost(WAIT).until(() -> recording.handled.contains("metered"));
                    assertThat(recording.batches).contains("metered");
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    await().atMost(WAIT).untilAsserted(() -> assertThat(meters.get("eventstore.projection.events")
                            .tag("projection", "metered").counter().count()).isEqualTo(1));
                });

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        ObservationAutoConfiguration.class, EventStoreMetricsAutoConfiguration.class))
                .withBean(EventStore.class, () -> StorageEventStore.builder(new InMemoryEventStorage()).build())
                .run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    assertThat(store).isInstanceOf(ObservedEventStore.class);
                    store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
                    assertThat(context.getBean(MeterRegistry.class).get("eventstore.events.appended").counter()
                            .count()).isEqualTo(1);
                });
    }

    @Test
    void withoutAnyRegistryNothingIsObserved() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventStoreMetricsAutoConfiguration.class))
                .withBean(EventStore.class, () -> StorageEventStore.builder(new InMemoryEventStorage()).build())
                .run(context -> {
                    assertThat(context).doesNotHaveBean(ObservedEventStorePostProcessor.class)
                            .doesNotHaveBean(ProjectionObserver.class);
                    assertThat(context.getBean(EventStore.class)).isInstanceOf(StorageEventStore.class);
                });
    }

    /** An application's own observer. */
    static final class RecordingObserver implements ProjectionObserver {

        final Set<String> batches = ConcurrentHashMap.newKeySet();
        final Set<String> handled = ConcurrentHashMap.newKeySet();

        @Override
        public void batch(String projection, int events, Runnable work) {
            batches.add(projection);
            work.run();
        }

        @Override
        public void batchHandled(String projection, int events, long nanos) {
            handled.add(projection);
        }
    }
}

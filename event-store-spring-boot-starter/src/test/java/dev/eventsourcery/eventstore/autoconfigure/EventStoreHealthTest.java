package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.ProjectionState;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * The event store's health indicator: UP with the head and each projection; DOWN when its tables are missing or
 * lack columns, or a projection stopped on a failure; a paused or lagging projection shown but UP.
 */
class EventStoreHealthTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class,
                    EventStoreHealthAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("spring.datasource.generate-unique-name=true",
                    "event-store.projections.initial-back-off=10ms", "event-store.projections.poll-timeout=200ms",
                    "event-store.projections.lease-timeout=3s");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    /** Deposits, stopping (after one attempt) on the accounts it is told to fail on. */
    @Projection(name = "watched", maxAttempts = 1)
    static class Watched {

        final Set<String> failOn = ConcurrentHashMap.newKeySet();
        final Set<Long> handled = ConcurrentHashMap.newKeySet();

        @ProjectionHandler
        void on(RecordedEvent<MoneyDeposited> deposited) {
            if (failOn.contains(deposited.event().account())) {
                throw new IllegalStateException("cannot watch " + deposited.event().account());
            }
            handled.add(deposited.position().value());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WatchedProjection {
        @Bean
        Watched watched() {
            return new Watched();
        }
    }

    private static Health health(AssertableApplicationContext context) {
        Health health = context.getBean("eventStoreHealthIndicator", HealthIndicator.class).health(true);
        assertThat(health).isNotNull();
        return health;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> projection(Health health, String name) {
        Map<String, Object> projections = (Map<String, Object>) health.getDetails().get("projections");
        assertThat(projections).containsKey(name);
        return (Map<String, Object>) projections.get(name);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void isUpWithTheHeadAndEveryProjectionWhenTheTablesAreThereAndNoProjectionFailed(TestDatabase database) {
        database.assumeReachable();
        runner.withPropertyValues(database.properties()).withUserConfiguration(WatchedProjection.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1), new MoneyDeposited("a", 2));
            long head = store.position().orElseThrow().value();
            Projections projections = context.getBean(Projections.class);
            await().atMost(WAIT).until(() -> projections.status("watched").orElseThrow().checkpoint() == head);

            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("head", head);
            assertThat(projection(health, "watched")).containsEntry("state", ProjectionState.RUNNING)
                    .containsEntry("checkpoint", head).containsEntry("lag", 0L).containsEntry("lagging", false)
                    .containsEntry("deadLetterCount", 0L).containsKey("owner").doesNotContainKey("error");
        });
    }

    @Test
    void isDownNamingTheMissingTablesWhenTheSchemaIsNotThere() {
        runner.withPropertyValues("event-store.jdbc.initialize-schema=never", "spring.jpa.hibernate.ddl-auto=none",
                "event-store.jdbc.check-schema=false").run(context -> {
                    Health health = health(context);
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("missingTables", EventStoreSchemaCheck.TABLES);
                });
        runner.run(context -> {
            assertThat(health(context).getStatus()).isEqualTo(Status.UP);
            new JdbcTemplate(context.getBean(DataSource.class)).execute("drop table es_dead_letter");
            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("missingTables", java.util.List.of("es_dead_letter"));
        });
    }

    @Test
    void isDownNamingTheMissingColumnsWhenTheTablesLackThoseOfALaterSchemaVersion() {
        runner.run(context -> {
            assertThat(health(context).getStatus()).isEqualTo(Status.UP);
            new JdbcTemplate(context.getBean(DataSource.class))
                    .execute("alter table es_snapshot drop column schema_version");
            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails())
                    .containsEntry("missingColumns", java.util.List.of("es_snapshot.schema_version"))
                    .doesNotContainKey("missingTables");
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void isDownWithThePositionAndTheErrorWhenAProjectionStoppedOnAFailure(TestDatabase database) {
        database.assumeReachable();
        runner.withPropertyValues(database.properties()).withUserConfiguration(WatchedProjection.class).run(context -> {
            context.getBean(Watched.class).failOn.add("bad");
            EventStore store = context.getBean(EventStore.class);
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited("good", 1));
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited("bad", 1));
            long failing = store.position().orElseThrow().value();
            Projections projections = context.getBean(Projections.class);
            await().atMost(WAIT).until(() -> projections.status("watched").orElseThrow().state()
                    == ProjectionState.FAILED);

            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(projection(health, "watched")).containsEntry("state", ProjectionState.FAILED)
                    .containsEntry("errorPosition", failing)
                    .containsEntry("error", "java.lang.IllegalStateException: cannot watch bad");

            context.getBean(Watched.class).failOn.clear();
            projections.resume("watched");
            await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.UP));
        });
    }

    @Test
    void showsAPausedAndALaggingProjectionButStaysUp() {
        runner.withUserConfiguration(WatchedProjection.class)
                .withPropertyValues("event-store.projections.lag-threshold=2").run(context -> {
                    Projections projections = context.getBean(Projections.class);
                    projections.pause("watched");
                    EventStore store = context.getBean(EventStore.class);
                    store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
                    store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 2));

                    Health paused = health(context);
                    assertThat(paused.getStatus()).isEqualTo(Status.UP);
                    assertThat(projection(paused, "watched")).containsEntry("state", ProjectionState.PAUSED)
                            .containsEntry("lag", 2L).containsEntry("lagging", false);

                    store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 3));
                    Health lagging = health(context);
                    assertThat(lagging.getStatus()).isEqualTo(Status.UP);
                    assertThat(projection(lagging, "watched")).containsEntry("state", ProjectionState.PAUSED)
                            .containsEntry("lag", 3L).containsEntry("lagging", true);
                });
    }

    /** Retries its failing events without end, as the outbox does while its broker is unreachable. */
    @Projection(name = "retrying", maxAttempts = Integer.MAX_VALUE)
    static class Retrying extends Watched {
    }

    @Test
    void isDownWhenAProjectionKeepsFailingLongerThanAllowedAndUpOnceItHandlesTheEvent() {
        runner.withBean(Retrying.class, Retrying::new).withPropertyValues(
                "event-store.projections.failing-down-after=500ms", "event-store.projections.max-back-off=50ms")
                .run(context -> {
                    Retrying retrying = context.getBean(Retrying.class);
                    retrying.failOn.add("unreachable");
                    EventStore store = context.getBean(EventStore.class);
                    store.appendEvents(StreamId.random(), 0, new MoneyDeposited("unreachable", 1));

                    await().atMost(WAIT).until(() -> projection(health(context), "retrying").containsKey("failingSince"));
                    assertThat(projection(health(context), "retrying")).containsEntry("state", ProjectionState.RUNNING);
                    await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.DOWN));
                    assertThat(context.getBean(Projections.class).status("retrying").orElseThrow().state())
                            .isEqualTo(ProjectionState.RUNNING);

                    retrying.failOn.clear();
                    await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.UP));
                    assertThat(projection(health(context), "retrying")).doesNotContainKey("failingSince");
                    assertThat(retrying.handled).hasSize(1);
                });
    }

    @Test
    void canBeSwitchedOffAndBacksOffForTheApplicationsOwn() {
        runner.withPropertyValues("management.health.eventstore.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("eventStoreHealthIndicator"));
        HealthIndicator own = () -> Health.up().build();
        runner.withBean("eventStoreHealthIndicator", HealthIndicator.class, () -> own)
                .run(context -> assertThat(context.getBean("eventStoreHealthIndicator")).isSameAs(own));
    }
}

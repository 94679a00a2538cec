package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.spring.outbox.OutboxMessage;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublisher;
import dev.eventsourcery.eventstore.spring.projection.DeadLetter;
import dev.eventsourcery.eventstore.spring.projection.FailurePolicy;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.ProjectionState;
import dev.eventsourcery.eventstore.spring.projection.ProjectionStatus;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * A projection reading a log with events it cannot read: one stored under a type no class has any more, one whose
 * JSON no longer binds to its class. Each goes through the projection's failure policy as a handler's failure
 * does, after the events before it were handled: a dead letter naming it and the projection going on, or the
 * projection stopped on it, DOWN in health. The outbox, which never gives up on an event, keeps trying and shows
 * as failing in health. On H2, PostgreSQL and MariaDB; the events are made unreadable by changing their rows.
 */
class UnreadableEventTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String RETIRED_TYPE = "ledger.RetiredEvent";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class, EventStoreOutboxAutoConfiguration.class,
                    EventStoreProjectionsAutoConfiguration.class, EventStoreHealthAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("event-store.projections.initial-back-off=10ms",
                    "event-store.projections.max-back-off=50ms", "event-store.projections.poll-timeout=200ms",
                    "event-store.projections.lease-timeout=3s");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    /** Takes every event of its category, whatever its class, so that one of a type without a class reaches it. */
    abstract static class Reading {

        final List<Long> handled = new CopyOnWriteArrayList<>();

        @ProjectionHandler
        void on(RecordedEvent<Object> event) {
            ProjectionTest.Balances.afterCommit(() -> handled.add(event.position().value()));
        }
    }

    @Projection(name = "unreadable-dead-letters", category = "unreadable", onFailure = FailurePolicy.DEAD_LETTER,
            maxAttempts = 2)
    static class DeadLettering extends Reading {
    }

    @Projection(name = "unreadable-stops", category = "unreadable", maxAttempts = 2)
    static class Stopping extends Reading {
    }

    @Configuration(proxyBeanMethods = false)
    static class DeadLetteringProjection {
        @Bean
        DeadLettering deadLettering() {
            return new DeadLettering();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class StoppingProjection {
        @Bean
        Stopping stopping() {
            return new Stopping();
        }
    }

    /** Keeps what it was given. */
    static class Publisher implements OutboxPublisher {

        final List<OutboxMessage> published = new CopyOnWriteArrayList<>();

        @Override
        public void publish(List<OutboxMessage> messages) {
            published.addAll(messages);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PublisherConfiguration {
        @Bean
        Publisher publisher() {
            return new Publisher();
        }
    }

    /** Six deposits in tenant acme, in one stream of the category, and where they lie in the log. */
    private record Appended(StreamId stream, List<WrappedEvent<MoneyDeposited>> events, List<Long> positions) {
    }

    private static Appended append(EventStore store, String category) {
        long start = store.position().map(Position::value).orElse(0L);
        StreamId stream = StreamId.named("unreadable-" + UUID.randomUUID()).withCategory(category);
        List<WrappedEvent<MoneyDeposited>> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(WrappedEvent.wrap(new MoneyDeposited("acc", i)));
        }
        store.scopedForTenant("acme").append(stream, 0, events);
        List<Long> positions = new ArrayList<>();
        try (var subscription = store.subscribe().inAllTenants().after(new Position(start)).build()) {
            subscription.poll(6, Duration.ofSeconds(5)).forEach(event -> positions.add(event.position().value()));
        }
        assertThat(positions).hasSize(6);
        return new Appended(stream, events, positions);
    }

    /**
     * Deletes the test's stream, whose events leave the log: the other tests' projections on the run's shared
     * database must not meet them.
     */
    private static void forget(EventStore store, Appended appended) {
        store.scopedForTenant("acme").deleteStream(appended.stream());
    }

    /** Stores the event under a type name, in its row and in the log's. */
    private static void retype(JdbcTemplate jdbc, WrappedEvent<?> event, String type) {
        jdbc.update("update es_log set event_type = ? where seq = (select seq from es_event where event_uuid = ?)",
                type, event.uuid());
        assertThat(jdbc.update("update es_event set event_type = ? where event_uuid = ?", type, event.uuid()))
                .isEqualTo(1);
    }

    /** Gives the deposit a JSON its class no longer reads: an amount that is not a number. */
    private static void unbind(JdbcTemplate jdbc, TestDatabase database, WrappedEvent<?> event) {
        String value = switch (database) {
            case POSTGRESQL -> "cast(? as jsonb)";
            case H2 -> "? format json";
            case MARIADB -> "?";
        };
        assertThat(jdbc.update("update es_event set payload = " + value + " where event_uuid = ?",
                "{\"account\": \"acc\", \"amount\": \"a lot\"}", event.uuid())).isEqualTo(1);
    }

    /** Pauses the projection, drops its dead letters and sets it at the head, before the test's events. */
    private static void clean(AssertableApplicationContext context, String name, Reading projection) {
        Projections projections = context.getBean(Projections.class);
        projections.pause(name);
        new JdbcTemplate(context.getBean(DataSource.class)).update("delete from es_dead_letter where projection = ?",
                name);
        projections.reset(name, new Position(context.getBean(EventStore.class).position().map(Position::value)
                .orElse(0L)));
        projection.handled.clear();
    }

    private static Health health(AssertableApplicationContext context) {
        return context.getBean("eventStoreHealthIndicator", HealthIndicator.class).health(true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> healthOf(AssertableApplicationContext context, String name) {
        return (Map<String, Object>) ((Map<String, Object>) health(context).getDetails().get("projections")).get(name);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void withDeadLettersEachUnreadableEventIsRecordedWhereItLiesAndTheProjectionGoesOn(TestDatabase database) {
        database.assumeReachable();
        runner.withPropertyValues(database.properties()).withUserConfiguration(DeadLetteringProjection.class)
                .run(context -> {
                    String name = "unreadable-dead-letters";
                    DeadLettering projection = context.getBean(DeadLettering.class);
                    Projections projections = context.getBean(Projections.class);
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    clean(context, name, projection);
                    Appended appended = append(context.getBean(EventStore.class), "unreadable");
                    try {
                        List<Long> positions = appended.positions();
                        retype(jdbc, appended.events().get(2), RETIRED_TYPE);
                        unbind(jdbc, database, appended.events().get(4));
                        projections.resume(name);

                        await().atMost(WAIT).until(() -> projections.status(name).orElseThrow().checkpoint()
                                == positions.get(5));
                        assertThat(projection.handled).containsExactly(positions.get(0), positions.get(1),
                                positions.get(3), positions.get(5));
                        List<DeadLetter> letters = projections.deadLetters(name);
                        assertThat(letters).hasSize(2);
                        assertThat(letters.get(0)).satisfies(letter -> {
                            assertThat(letter.position()).isEqualTo(positions.get(2));
                            assertThat(letter.eventType()).isEqualTo(RETIRED_TYPE);
                            assertThat(letter.tenantId()).isEqualTo("acme");
                            assertThat(letter.stream()).isEqualTo(appended.stream().toString());
                            assertThat(letter.eventUuid()).isEqualTo(appended.events().get(2).uuid().toString());
                            assertThat(letter.attempts()).isEqualTo(2);
                            assertThat(letter.error()).contains("Cannot read the event at position " + positions.get(2))
                                    .contains("Unknown event type '" + RETIRED_TYPE + "'");
                        });
                        assertThat(letters.get(1)).satisfies(letter -> {
                            assertThat(letter.position()).isEqualTo(positions.get(4));
                            assertThat(letter.eventType()).isEqualTo("ledger.MoneyDeposited");
                            assertThat(letter.tenantId()).isEqualTo("acme");
                            assertThat(letter.eventUuid()).isEqualTo(appended.events().get(4).uuid().toString());
                            assertThat(letter.error()).contains("Cannot read the event at position " + positions.get(4))
                                    .contains("EventSerializationException");
                        });
                        ProjectionStatus status = projections.status(name).orElseThrow();
                        assertThat(status.state()).isEqualTo(ProjectionState.RUNNING);
                        assertThat(status.deadLetters()).isEqualTo(2);
                    } finally {
                        forget(context.getBean(EventStore.class), appended);
                    }
                });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void withTheStopPolicyAnUnreadableEventStopsTheProjectionNamingItAndHealthIsDown(TestDatabase database) {
        database.assumeReachable();
        runner.withPropertyValues(database.properties()).withUserConfiguration(StoppingProjection.class)
                .run(context -> {
                    String name = "unreadable-stops";
                    Stopping projection = context.getBean(Stopping.class);
                    Projections projections = context.getBean(Projections.class);
                    EventStore store = context.getBean(EventStore.class);
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    clean(context, name, projection);
                    Appended appended = append(store, "unreadable");
                    try {
                        List<Long> positions = appended.positions();
                        retype(jdbc, appended.events().get(2), RETIRED_TYPE);
                        unbind(jdbc, database, appended.events().get(4));
                        projections.resume(name);

                        await().atMost(WAIT).until(() -> projections.status(name).orElseThrow().state()
                                == ProjectionState.FAILED);
                        ProjectionStatus failed = projections.status(name).orElseThrow();
                        assertThat(failed.errorPosition()).isEqualTo(positions.get(2));
                        assertThat(failed.checkpoint()).isEqualTo(positions.get(1));
                        assertThat(projection.handled).containsExactly(positions.get(0), positions.get(1));
                        String named = "Cannot read the event at position " + positions.get(2) + " (event "
                                + appended.events().get(2).uuid() + " of type '" + RETIRED_TYPE + "' in stream "
                                + appended.stream() + " of tenant 'acme')";
                        assertThat(failed.error()).contains(named);

                        Health health = health(context);
                        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(healthOf(context, name)).containsEntry("state", ProjectionState.FAILED)
                                .containsEntry("errorPosition", positions.get(2));
                        assertThat((String) healthOf(context, name).get("error")).contains(named);
                        EventStoreEndpoint.ProjectionDetailsDescriptor shown =
                                new EventStoreEndpoint(store, projections, 1000).projection(name);
                        assertThat(shown).isNotNull();
                        assertThat(shown.state()).isEqualTo(ProjectionState.FAILED);
                        assertThat(shown.errorPosition()).isEqualTo(positions.get(2));
                        assertThat(shown.error()).contains(named);

                        // its class back, the event reads: resumed, the projection goes on to the next unreadable one
                        retype(jdbc, appended.events().get(2), "ledger.MoneyDeposited");
                        projections.resume(name);
                        await().atMost(WAIT).until(() -> projections.status(name).orElseThrow().errorPosition()
                                == positions.get(4));
                        ProjectionStatus again = projections.status(name).orElseThrow();
                        assertThat(again.state()).isEqualTo(ProjectionState.FAILED);
                        assertThat(again.checkpoint()).isEqualTo(positions.get(3));
                        assertThat(again.error()).contains("Cannot read the event at position " + positions.get(4))
                                .contains("EventSerializationException");
                        assertThat(projection.handled).containsExactly(positions.get(0), positions.get(1),
                                positions.get(2), positions.get(3));
                    } finally {
                        forget(context.getBean(EventStore.class), appended);
                    }
                });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theOutboxKeepsTryingAnUnreadableEventWithoutSkippingItAndShowsAsFailingInHealth(TestDatabase database) {
        database.assumeReachable();
        String name = "outbox-" + UUID.randomUUID().toString().substring(0, 8);
        runner.withPropertyValues(database.properties()).withUserConfiguration(PublisherConfiguration.class)
                .withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.name=" + name,
                        "event-store.outbox.categories=unreadable-outbox",
                        "event-store.projections.failing-down-after=500ms")
                .run(context -> {
                    Projections projections = context.getBean(Projections.class);
                    Publisher publisher = context.getBean(Publisher.class);
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    projections.pause(name);
                    // a poll under way when it was paused would publish the events before their checkpoint's
                    // compare-and-set failed: the pause is seen within the poll time-out
                    Thread.sleep(500);
                    Appended appended = append(context.getBean(EventStore.class), "unreadable-outbox");
                    try {
                        List<Long> positions = appended.positions();
                        retype(jdbc, appended.events().get(2), RETIRED_TYPE);
                        projections.resume(name);

                        await().atMost(WAIT).until(() -> healthOf(context, name).containsKey("failingSince"));
                        await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.DOWN));
                        ProjectionStatus status = projections.status(name).orElseThrow();
                        assertThat(status.state()).isEqualTo(ProjectionState.RUNNING);
                        assertThat(status.checkpoint()).isEqualTo(positions.get(1));
                        assertThat(publisher.published).extracting(OutboxMessage::position)
                                .containsExactly(positions.get(0), positions.get(1));

                        retype(jdbc, appended.events().get(2), "ledger.MoneyDeposited");
                        await().atMost(WAIT).until(() -> publisher.published.size() == 6);
                        assertThat(publisher.published).extracting(OutboxMessage::position)
                                .containsExactlyElementsOf(positions);
                        await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.UP));
                    } finally {
                        forget(context.getBean(EventStore.class), appended);
                    }
                });
    }
}

package dev.eventsourcery.eventstore.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.amqp.TestBroker.Consumer;
import dev.eventsourcery.eventstore.amqp.TestBroker.Received;
import dev.eventsourcery.eventstore.amqp.testapp.AccountOpened;
import dev.eventsourcery.eventstore.amqp.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.amqp.testapp.MoneyWithdrawn;
import dev.eventsourcery.eventstore.spring.projection.ProjectionState;
import dev.eventsourcery.eventstore.spring.projection.ProjectionStatus;
import dev.eventsourcery.eventstore.spring.projection.Projections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outbox publishing to a real RabbitMQ: what arrives, in which order, with which headers and routing keys,
 * and what the outbox does when the broker cannot route a message, is unreachable, or lacks the exchange. Each
 * test has an exchange, queues and an outbox name of its own (the broker and the server databases are shared).
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxRabbitTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(700);

    private static ApplicationContextRunner on(TestDatabase database, TestBroker broker, String name) {
        return on(database.properties(), broker, name);
    }

    private static ApplicationContextRunner on(String[] database, TestBroker broker, String name) {
        return OutboxTestApplication.runner().withPropertyValues(database).withPropertyValues(broker.properties())
                .withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.name=" + name);
    }

    private static String name() {
        return "outbox-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The ids of the events after {@code start} in the log, in log order. */
    private static List<String> logIds(EventStore store, long start, int count) {
        return recorded(store, start, count).stream().map(event -> event.wrappedEvent().uuid().toString()).toList();
    }

    private static List<RecordedEvent<?>> recorded(EventStore store, long start, int count) {
        try (var subscription = store.subscribe().inAllTenants().after(new Position(start)).build()) {
            List<RecordedEvent<?>> events = new ArrayList<>();
            while (events.size() < count) {
                List<RecordedEvent<?>> polled = subscription.poll(count - events.size(), Duration.ofSeconds(5));
                assertThat(polled).as("events in the log after position %d", start).isNotEmpty();
                events.addAll(polled);
            }
            return events;
        }
    }

    private static List<String> ids(List<Received> received) {
        return received.stream().map(message -> message.properties().getMessageId()).toList();
    }

    private static ProjectionStatus status(AssertableApplicationContext context, String name) {
        return context.getBean(Projections.class).status(name).orElseThrow();
    }

    private static double count(AssertableApplicationContext context, String meter, String... tags) {
        Counter counter = context.getBean(MeterRegistry.class).find(meter).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long head(EventStore store) {
        return store.position().map(Position::value).orElse(0L);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyCommittedEventArrivesOnceInLogOrderWithItsEnvelopeInHeadersAndItsStoredJsonAsBody(TestDatabase database)
            throws Exception {
        database.assumeReachable();
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("#");
            String name = name();
            on(database, broker, name).withPropertyValues("event-store.outbox.batch-size=5").run(context -> {
                EventStore store = context.getBean(EventStore.class);
                long start = head(store);
                UUID correlation = UUID.randomUUID();
                UUID causation = UUID.randomUUID();
                StreamId account = StreamId.named("account-" + UUID.randomUUID()).withCategory("account");
                WrappedEvent<AccountOpened> opened = WrappedEvent.wrap(new AccountOpened("Ann \"the saver\" Åberg"),
                        null, Context.empty().withCorrelationId(correlation).withCausationId(causation));
                store.append(account, 0, opened);
                new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).executeWithoutResult(
                        status -> {
                            store.appendEvents(StreamId.random(), 0, new MoneyWithdrawn("rolled back", 1));
                            status.setRollbackOnly();
                        });
                store.scopedForTenant("acme").appendEvents(StreamId.random(), Versioning.NO_VERSIONING,
                        new MoneyWithdrawn("acme", 2));
                for (int i = 0; i < 20; i++) {
                    store.appendEvents(account, 1 + i, new MoneyDeposited("ann", i));
                }
                List<RecordedEvent<?>> log = recorded(store, start, 22);

                List<Received> received = queue.take(22, WAIT);
                assertThat(queue.drain(QUIET)).isEmpty();
                assertThat(ids(received)).containsExactlyElementsOf(logIds(store, start, 22));
                assertThat(received).noneMatch(message -> message.body().contains("rolled back"));

                JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                for (int i = 0; i < received.size(); i++) {
                    Received message = received.get(i);
                    RecordedEvent<?> event = log.get(i);
                    String stored = jdbc.queryForObject("select payload from es_event where event_uuid = ?",
                            String.class, event.wrappedEvent().uuid());
                    assertThat(message.body()).isEqualTo(stored);
                    assertThat(message.properties().getContentType()).isEqualTo("application/json");
                    assertThat(message.properties().getContentEncoding()).isEqualTo("UTF-8");
                    assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
                    assertThat(message.header("event-id")).isEqualTo(message.properties().getMessageId());
                    assertThat(message.header("position")).isEqualTo(Long.toString(event.position().value()));
                    assertThat(message.properties().getHeaders().get("position")).isInstanceOf(Long.class);
                }

                Received first = received.get(0);
                assertThat(first.properties().getMessageId()).isEqualTo(opened.uuid().toString());
                assertThat(first.body()).isEqualTo("{\"owner\":\"Ann \\\"the saver\\\" Åberg\"}");
                assertThat(first.properties().getType()).isEqualTo("AccountOpened");
                assertThat(first.properties().getTimestamp().toInstant())
                        .isEqualTo(opened.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                assertThat(first.routingKey()).isEqualTo("AccountOpened");
                assertThat(first.header("event-type")).isEqualTo("AccountOpened");
                assertThat(first.header("stream-id")).isEqualTo(account.uuid().toString());
                assertThat(first.header("stream-name")).isEqualTo(account.name());
                assertThat(first.header("category")).isEqualTo("account");
                assertThat(first.hasHeader("tenant")).isFalse();
                assertThat(first.properties().getHeaders().get("version")).isEqualTo(1L);
                assertThat(Instant.parse(first.header("created-at"))).isEqualTo(opened.createdAt());
                assertThat(first.header("correlation-id")).isEqualTo(correlation.toString());
                assertThat(first.header("causation-id")).isEqualTo(causation.toString());

                Received acme = received.get(1);
                assertThat(acme.header("tenant")).isEqualTo("acme");
                assertThat(acme.header("event-type")).isEqualTo("ledger.MoneyWithdrawn");
                for (String absent : List.of("version", "stream-name", "category", "correlation-id", "causation-id")) {
                    assertThat(acme.hasHeader(absent)).as(absent).isFalse();
                }
                assertThat(received.subList(2, 22)).extracting(message -> message.header("version"))
                        .containsExactly(java.util.stream.IntStream.rangeClosed(2, 21).mapToObj(Integer::toString)
                                .toArray(String[]::new));

                await().atMost(WAIT).until(() -> status(context, name).checkpoint() == head(store));
                assertThat(count(context, "eventstore.outbox.published")).isEqualTo(22);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void onlyEventsOfTheConfiguredCategoriesTypesAndTenantsArrive(TestDatabase database) throws Exception {
        database.assumeReachable();
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("#");
            String name = name();
            on(database, broker, name).withPropertyValues("event-store.outbox.categories=account,loan",
                    "event-store.outbox.event-types=ledger.MoneyDeposited,AccountOpened",
                    "event-store.outbox.tenants[0]=", "event-store.outbox.tenants[1]=acme").run(context -> {
                        EventStore store = context.getBean(EventStore.class);
                        EventStore acme = store.scopedForTenant("acme");
                        EventStore globex = store.scopedForTenant("globex");
                        store.appendEvents(StreamId.random().withCategory("account"), 0, new AccountOpened("in-1"));
                        store.appendEvents(StreamId.random().withCategory("account"), 0, new MoneyWithdrawn("type", 1));
                        store.appendEvents(StreamId.random().withCategory("other"), 0, new MoneyDeposited("cat", 1));
                        store.appendEvents(StreamId.random(), 0, new MoneyDeposited("no category", 1));
                        acme.appendEvents(StreamId.random().withCategory("loan"), 0, new MoneyDeposited("in-2", 2));
                        globex.appendEvents(StreamId.random().withCategory("loan"), 0, new MoneyDeposited("tenant", 2));
                        store.appendEvents(StreamId.random().withCategory("loan"), 0, new MoneyDeposited("in-3", 3));

                        List<Received> received = queue.take(3, WAIT);
                        assertThat(received).extracting(Received::body).allMatch(body -> body.contains("\"in-"));
                        assertThat(received).extracting(message -> message.header("category"))
                                .containsExactly("account", "loan", "loan");
                        await().atMost(WAIT).until(() -> status(context, name).checkpoint() == head(store));
                        assertThat(queue.drain(QUIET)).isEmpty();
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "type | ledger.MoneyDeposited",
            "category | account",
            "stream | account-7",
            "#{tenant ?: 'default'}.#{category}.#{eventType} | acme.account.ledger.MoneyDeposited",
            "#{streamName.toUpperCase()}/v#{version} | ACCOUNT-7/v1",
            "events | events"})
    void theRoutingKeyIsTheOneItsPropertyNames(String routingKey, String expected) throws Exception {
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("#");
            on(TestDatabase.H2, broker, name()).withPropertyValues("event-store.outbox.routing-key=" + routingKey)
                    .run(context -> {
                        context.getBean(EventStore.class).scopedForTenant("acme")
                                .appendEvents(StreamId.named("account-7").withCategory("account"), 0,
                                        new MoneyDeposited("a", 1));
                        assertThat(queue.take(1, WAIT).get(0).routingKey()).isEqualTo(expected);
                    });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TenantRoutingKey {
        @Bean
        OutboxRoutingKey tenantRoutingKey() {
            return message -> "tenant." + (message.tenant() == null ? "default" : message.tenant());
        }
    }

    @Test
    void anOutboxRoutingKeyBeanRoutesInsteadOfTheProperty() throws Exception {
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer acme = broker.queue("tenant.acme");
            on(TestDatabase.H2, broker, name()).withUserConfiguration(TenantRoutingKey.class)
                    .withPropertyValues("event-store.outbox.routing-key=category", "event-store.outbox.unroutable=skip")
                    .run(context -> {
                        EventStore store = context.getBean(EventStore.class);
                        store.appendEvents(StreamId.random(), 0, new MoneyDeposited("default", 1));
                        store.scopedForTenant("acme").appendEvents(StreamId.random(), 0, new MoneyDeposited("acme", 2));
                        Received received = acme.take(1, WAIT).get(0);
                        assertThat(received.routingKey()).isEqualTo("tenant.acme");
                        assertThat(received.header("tenant")).isEqualTo("acme");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anUnroutableEventHoldsTheOutboxUntilAQueueIsBoundThenEverythingArrives(TestDatabase database)
            throws Exception {
        database.assumeReachable();
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("ledger.MoneyDeposited");
            String name = name();
            on(database, broker, name).run(context -> {
                EventStore store = context.getBean(EventStore.class);
                long start = head(store);
                StreamId stream = StreamId.random();
                store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
                store.appendEvents(stream, 1, new MoneyWithdrawn("a", 1));
                store.appendEvents(stream, 2, new MoneyDeposited("a", 2));
                List<String> log = logIds(store, start, 3);

                await().atMost(WAIT).until(() -> count(context, "eventstore.outbox.unroutable") >= 2
                        && count(context, "eventstore.projection.failures", "projection", name) >= 2);
                long withdrawn = recorded(store, start, 3).get(1).position().value();
                ProjectionStatus held = status(context, name);
                assertThat(held.checkpoint()).isLessThan(withdrawn);
                assertThat(held.state()).isEqualTo(ProjectionState.RUNNING);
                assertThat(held.lag()).isGreaterThanOrEqualTo(2);
                Health health = context.getBean("eventStoreHealthIndicator", HealthIndicator.class).health(true);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                @SuppressWarnings("unchecked")
                Map<String, Object> outbox = (Map<String, Object>) ((Map<String, Object>) health.getDetails()
                        .get("projections")).get(name);
                assertThat(outbox).containsEntry("checkpoint", held.checkpoint()).containsEntry("state",
                        ProjectionState.RUNNING);
                assertThat((Long) outbox.get("lag")).isGreaterThanOrEqualTo(2L);
                Thread.sleep(500);
                assertThat(status(context, name).checkpoint()).isEqualTo(held.checkpoint());

                queue.bind("ledger.MoneyWithdrawn");
                await().atMost(WAIT).until(() -> status(context, name).checkpoint() == head(store));
                List<String> arrived = ids(queue.drain(QUIET));
                // the first attempt at the batch may have delivered the event before the unroutable one already,
                // never the one after it: the first copies arrive in the stream's order
                assertThat(new LinkedHashSet<>(arrived)).containsExactlyElementsOf(log);
                System.out.println("Unroutable then bound: " + arrived.size() + " messages for 3 events");
            });
        }
    }

    @Test
    void withSkipAnUnroutableEventIsCountedLoggedAndPassedOver(CapturedOutput output) throws Exception {
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("ledger.MoneyDeposited");
            String name = name();
            on(TestDatabase.H2, broker, name).withPropertyValues("event-store.outbox.unroutable=skip").run(context -> {
                EventStore store = context.getBean(EventStore.class);
                long start = head(store);
                StreamId stream = StreamId.random();
                store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
                store.appendEvents(stream, 1, new MoneyWithdrawn("a", 1));
                store.appendEvents(stream, 2, new MoneyDeposited("a", 2));
                List<String> log = logIds(store, start, 3);

                assertThat(ids(queue.take(2, WAIT))).containsExactly(log.get(0), log.get(2));
                await().atMost(WAIT).until(() -> status(context, name).checkpoint() == head(store));
                assertThat(queue.drain(QUIET)).isEmpty();
                assertThat(count(context, "eventstore.outbox.unroutable")).isEqualTo(1);
                assertThat(count(context, "eventstore.projection.failures", "projection", name)).isZero();
                assertThat(output).contains("could not route the message of event " + log.get(1))
                        .contains("skipped it");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anUnreachableBrokerHoldsTheCheckpointAndAnOutboxThatReachesItPublishesEverything(TestDatabase database)
            throws Exception {
        database.assumeReachable();
        String[] sameDatabase = database.properties();
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("#");
            String name = name();
            List<String> appended = new ArrayList<>();
            on(sameDatabase, broker, name).withPropertyValues("spring.rabbitmq.port=" + closedPort(),
                    "event-store.projections.failing-down-after=300ms").run(context -> {
                EventStore store = context.getBean(EventStore.class);
                long start = status(context, name).checkpoint();
                StreamId stream = StreamId.random();
                for (int i = 0; i < 5; i++) {
                    store.appendEvents(stream, i, new MoneyDeposited("a", i));
                }
                appended.addAll(logIds(store, start, 5));
                await().atMost(WAIT).until(() -> count(context, "eventstore.projection.failures", "projection",
                        name) >= 3);
                assertThat(status(context, name).checkpoint()).isEqualTo(start);
                assertThat(status(context, name).state()).isEqualTo(ProjectionState.RUNNING);
                assertThat(count(context, "eventstore.outbox.published")).isZero();
                // failing for longer than event-store.projections.failing-down-after: the store is DOWN
                await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.DOWN));
                assertThat(health(context).getDetails().get("projections").toString()).contains("failingSince");
            });
            assertThat(queue.drain(QUIET)).isEmpty();

            on(sameDatabase, broker, name).run(context -> {
                assertThat(ids(queue.take(5, WAIT))).containsExactlyElementsOf(appended);
                EventStore store = context.getBean(EventStore.class);
                await().atMost(WAIT).until(() -> status(context, name).checkpoint() == head(store));
                assertThat(queue.drain(QUIET)).isEmpty();
            });
        }
    }

    @Test
    void anExchangeThatDoesNotExistHoldsTheOutboxUntilItIsDeclared(CapturedOutput output) throws Exception {
        try (TestBroker broker = TestBroker.withExchange()) {
            String name = name();
            String later = broker.exchange() + "-later";
            on(TestDatabase.H2, broker, name).withPropertyValues("event-store.outbox.exchange=" + later)
                    .run(context -> {
                        EventStore store = context.getBean(EventStore.class);
                        long start = status(context, name).checkpoint();
                        store.appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
                        await().atMost(WAIT).until(() -> count(context, "eventstore.projection.failures",
                                "projection", name) >= 2);
                        assertThat(status(context, name).checkpoint()).isEqualTo(start);
                        assertThat(output).contains("Outbox '" + name + "' could not publish the events from position")
                                .contains("exchange '" + later + "': it does not exist");

                        broker.declare(later);
                        Consumer queue = broker.queueOn(later, "#");
                        assertThat(queue.take(1, WAIT).get(0).body()).isEqualTo("{\"account\":\"a\",\"amount\":1}");
                        await().atMost(WAIT).until(() -> status(context, name).checkpoint() == head(store));
                        assertThat(output).contains("Outbox '" + name + "' publishes again, after");
                    });
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Health health(AssertableApplicationContext context) {
        Health health = context.getBean("eventStoreHealthIndicator", HealthIndicator.class).health(true);
        assertThat(health).isNotNull();
        return health;
    }
}

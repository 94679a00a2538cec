package dev.eventsourcery.eventstore.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.amqp.TestBroker.Consumer;
import dev.eventsourcery.eventstore.amqp.TestBroker.Received;
import dev.eventsourcery.eventstore.spring.outbox.OutboxMessage;
import dev.eventsourcery.eventstore.spring.projection.ProjectionRunners;
import dev.eventsourcery.eventstore.spring.projection.Projections;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outbox through faults: the broker closing its connection in the middle of a batch, a full queue refusing
 * messages, and the instance publishing stopping while another runs. Every event still arrives, the first copies
 * of each stream's events in version order; the duplicates are counted and printed.
 */
class OutboxFaultTest {

    private static final int EVENTS = 3_000;
    private static final int STREAMS = 30;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ApplicationContextRunner runner(String[] database, TestBroker broker, String name) {
        return OutboxTestApplication.runner().withPropertyValues(database).withPropertyValues(broker.properties())
                .withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.name=" + name,
                        "event-store.outbox.batch-size=50");
    }

    /** Receives until every appended event is in, or fails after a minute. */
    private static List<Received> receiveAll(Consumer queue, Appends appends, List<Received> received)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!appends.allIn(received) && System.nanoTime() < deadline) {
            received.addAll(queue.drain(Duration.ofMillis(200)));
        }
        received.addAll(queue.drain(Duration.ofMillis(500)));
        return received;
    }

    /**
     * Routes by type, and has the broker close the outbox's connection while it sends the given messages (counted
     * in the order they are sent, retries included): a fault in the middle of a batch, some of its messages
     * routed and others not, every time.
     */
    static final class ClosingConnection implements OutboxRoutingKey {

        private final ObjectProvider<CachingConnectionFactory> connections;
        private final Set<Integer> closeAt;
        private final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        ClosingConnection(ObjectProvider<CachingConnectionFactory> connections, Set<Integer> closeAt) {
            this.connections = connections;
            this.closeAt = closeAt;
        }

        @Override
        public String routingKey(OutboxMessage message) {
            if (closeAt.contains(sent.incrementAndGet())) {
                try {
                    TestBroker.closeConnection(connections.getObject().createConnection().getLocalPort());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                closed.incrementAndGet();
            }
            return message.eventType();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClosingConnectionConfiguration {
        @Bean
        ClosingConnection closingConnection(
                @Qualifier("eventStoreOutboxConnectionFactory") ObjectProvider<CachingConnectionFactory> connections) {
            return new ClosingConnection(connections, Set.of(EVENTS / 5, EVENTS / 2));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theBrokerClosingTheOutboxConnectionInTheMiddleOfABatchLosesNothing(TestDatabase database) throws Exception {
        database.assumeReachable();
        TestBroker.assumeRabbitmqctl();
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("#");
            String name = "outbox-fault-" + UUID.randomUUID().toString().substring(0, 8);
            runner(database.properties(), broker, name).withUserConfiguration(ClosingConnectionConfiguration.class)
                    .run(context -> {
                        Appends appends = new Appends(EVENTS, STREAMS);
                        appends.append(context.getBean(EventStore.class), 4, 1);
                        List<Received> received = receiveAll(queue, appends, new ArrayList<>());
                        int duplicates = appends.verify(received);
                        ClosingConnection faults = context.getBean(ClosingConnection.class);
                        assertThat(faults.closed).hasValue(2);
                        // the messages of a broken batch that the broker had routed arrive again
                        assertThat(duplicates).isPositive();
                        System.out.printf("Outbox on %s, connection closed by the broker in the middle of %d batches: "
                                + "%d events, %d messages, %d duplicates%n", database, faults.closed.get(), EVENTS,
                                received.size(), duplicates);
                    });
        }
    }

    @Test
    void aFullQueueThatRefusesMessagesHoldsTheOutboxUntilItHasRoom() throws Exception {
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.boundedQueue(10, "#");
            String name = "outbox-full-" + UUID.randomUUID().toString().substring(0, 8);
            runner(TestDatabase.H2.properties(), broker, name).run(context -> {
                Appends appends = new Appends(30, 3);
                appends.append(context.getBean(EventStore.class), 1, 0);
                Projections projections = context.getBean(Projections.class);
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                await().atMost(WAIT).until(() -> meters.find("eventstore.projection.failures")
                        .tag("projection", name).counter() != null);
                long held = projections.status(name).orElseThrow().checkpoint();
                Thread.sleep(500);
                assertThat(projections.status(name).orElseThrow().checkpoint()).isEqualTo(held);
                assertThat(projections.status(name).orElseThrow().lag()).isPositive();
                assertThat(meters.get("eventstore.outbox.published").counter().count()).isLessThanOrEqualTo(10);

                queue.start();
                List<Received> received = receiveAll(queue, appends, new ArrayList<>());
                int duplicates = appends.verify(received);
                await().atMost(WAIT).until(() -> projections.status(name).orElseThrow().lag() == 0);
                System.out.printf("Outbox to a queue of at most 10 messages, consumed once full: 30 events, %d "
                        + "messages, %d duplicates%n", received.size(), duplicates);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anotherInstanceTakesOverWhenThePublishingOneStopsAndNothingIsLost(TestDatabase database) throws Exception {
        database.assumeReachable();
        String[] sameDatabase = database.properties();
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("#");
            String name = "outbox-failover-" + UUID.randomUUID().toString().substring(0, 8);
            runner(sameDatabase, broker, name).withPropertyValues("event-store.projections.instance-id=first")
                    .run(first -> {
                        Projections projections = first.getBean(Projections.class);
                        await().atMost(WAIT).until(() -> "first".equals(projections.status(name).orElseThrow().owner()));
                        runner(sameDatabase, broker, name).withPropertyValues("event-store.projections.instance-id=second")
                                .run(second -> {
                                    Appends appends = new Appends(EVENTS, STREAMS);
                                    CompletableFuture<Void> appending = CompletableFuture.runAsync(() -> {
                                        try {
                                            appends.append(second.getBean(EventStore.class), 4, 2);
                                        } catch (Exception e) {
                                            throw new IllegalStateException(e);
                                        }
                                    });
                                    List<Received> received = new ArrayList<>();
                                    while (received.size() < EVENTS / 3) {
                                        received.addAll(queue.take(1, WAIT));
                                    }
                                    assertThat(projections.status(name).orElseThrow().owner()).isEqualTo("first");
                                    // the first instance shuts its projections down, as it does when it stops
                                    first.getBean(ProjectionRunners.class).stop();
                                    await().atMost(WAIT).until(() -> "second".equals(
                                            projections.status(name).orElseThrow().owner()));
                                    appending.get();
                                    int duplicates = appends.verify(receiveAll(queue, appends, received));
                                    System.out.printf("Outbox on %s, publishing instance stopped after %d of %d "
                                            + "events: %d messages, %d duplicates%n", database, EVENTS / 3, EVENTS,
                                            received.size(), duplicates);
                                });
                    });
        }
    }

    /**
     * The application publishing is stopped in the middle of the stream while another one (its outbox off)
     * keeps appending, and started again: it goes on from its checkpoint, and nothing is lost.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anApplicationStoppedWhilePublishingAndStartedAgainGoesOnFromItsCheckpoint(TestDatabase database)
            throws Exception {
        database.assumeReachable();
        String[] sameDatabase = database.properties();
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("#");
            String name = "outbox-restart-" + UUID.randomUUID().toString().substring(0, 8);
            List<Received> received = new ArrayList<>();
            Appends appends = new Appends(EVENTS, STREAMS);
            runner(sameDatabase, broker, name).withPropertyValues("event-store.outbox.enabled=false").run(appender -> {
                List<CompletableFuture<Void>> appendings = new ArrayList<>();
                runner(sameDatabase, broker, name).run(publisher -> {
                    // the outbox starts at the log's head: append once it is there
                    Projections projections = publisher.getBean(Projections.class);
                    await().atMost(WAIT).until(() -> projections.status(name).orElseThrow().owner() != null);
                    appendings.add(CompletableFuture.runAsync(() -> {
                        try {
                            appends.append(appender.getBean(EventStore.class), 4, 5);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                    while (received.size() < EVENTS / 3) {
                        received.addAll(queue.take(1, WAIT));
                    }
                });
                CompletableFuture<Void> appending = appendings.get(0);
                int beforeRestart = received.size();
                assertThat(appending).isNotDone();
                runner(sameDatabase, broker, name).run(publisher -> {
                    appending.get();
                    int duplicates = appends.verify(receiveAll(queue, appends, received));
                    System.out.printf("Outbox on %s, application stopped after %d of %d messages and started "
                            + "again: %d messages, %d duplicates%n", database, beforeRestart, EVENTS, received.size(),
                            duplicates);
                });
            });
        }
    }
}

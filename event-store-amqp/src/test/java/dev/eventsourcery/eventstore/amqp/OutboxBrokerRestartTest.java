package dev.eventsourcery.eventstore.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.amqp.TestBroker.Received;

/**
 * The broker's application stopped and started while the outbox publishes ({@code rabbitmqctl stop_app},
 * {@code start_app}), on a node of the test's own so that no other user of the shared broker sees it: the
 * outbox retries until the broker is back, and the consumer of a durable queue ends with every event, the first
 * copies of each stream's events in version order; duplicates (messages of a batch in flight at the stop) are
 * counted and printed.
 */
class OutboxBrokerRestartTest {

    private static final int EVENTS = 2_000;
    private static final int STREAMS = 20;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void stoppingAndStartingTheBrokerLosesNothing(TestDatabase database) throws Exception {
        database.assumeReachable();
        TestBroker.assumeReachable();
        try (PrivateBroker broker = PrivateBroker.start()) {
            String exchange = "es-restart-" + UUID.randomUUID();
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("127.0.0.1");
            factory.setPort(broker.port());
            factory.setNetworkRecoveryInterval(500);
            ConcurrentLinkedQueue<Received> arrived = new ConcurrentLinkedQueue<>();
            try (Connection connection = factory.newConnection("event-store-restart-test")) {
                Channel channel = connection.createChannel();
                // durable, as the broker's restart keeps only durable exchanges and queues (and persistent messages)
                channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
                String queue = channel.queueDeclare(exchange, true, false, false, null).getQueue();
                channel.queueBind(queue, exchange, "#");
                channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                            byte[] body) {
                        arrived.add(new Received(envelope.getRoutingKey(), properties,
                                new String(body, StandardCharsets.UTF_8)));
                    }
                });
                String name = "outbox-restart-" + UUID.randomUUID().toString().substring(0, 8);
                OutboxTestApplication.runner().withPropertyValues(database.properties()).withPropertyValues(
                        "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=" + broker.port(),
                        "event-store.outbox.exchange=" + exchange, "event-store.outbox.enabled=true",
                        "event-store.outbox.name=" + name, "event-store.outbox.batch-size=50",
                        "event-store.projections.max-back-off=500ms").run(context -> {
                            Appends appends = new Appends(EVENTS, STREAMS);
                            CompletableFuture<Void> appending = CompletableFuture.runAsync(() -> {
                                try {
                                    appends.append(context.getBean(EventStore.class), 4, 10);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
                            awaitArrived(arrived, EVENTS / 4);
                            broker.stopApp();
                            int beforeStop = arrived.size();
                            Thread.sleep(2_000);
                            broker.startApp();
                            appending.get();
                            long deadline = System.nanoTime() + WAIT.toNanos();
                            while (!appends.allIn(List.copyOf(arrived)) && System.nanoTime() < deadline) {
                                Thread.sleep(200);
                            }
                            Thread.sleep(500);
                            List<Received> received = new ArrayList<>(arrived);
                            int duplicates = appends.verify(received);
                            // stopped in the middle: events were appended while the broker was away
                            assertThat(beforeStop).isLessThan(EVENTS * 3 / 4);
                            System.out.printf("Outbox on %s, broker stopped (stop_app) after %d of %d messages and "
                                    + "started again 2 s later: %d messages, %d duplicates%n", database, beforeStop,
                                    EVENTS, received.size(), duplicates);
                        });
            }
        }
    }

    private static void awaitArrived(ConcurrentLinkedQueue<Received> arrived, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (arrived.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + arrived.size() + " of " + count + " messages arrived");
            }
            Thread.sleep(20);
        }
    }
}

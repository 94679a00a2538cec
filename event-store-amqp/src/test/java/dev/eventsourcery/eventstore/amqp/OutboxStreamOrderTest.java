package dev.eventsourcery.eventstore.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.amqp.TestBroker.Consumer;
import dev.eventsourcery.eventstore.amqp.TestBroker.Received;
import dev.eventsourcery.eventstore.amqp.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.amqp.testapp.MoneyWithdrawn;
import dev.eventsourcery.eventstore.spring.projection.Projections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Each stream's events reach a consumer in version order when RabbitMQ refuses or returns some of a batch's
 * messages: the first copy of every event arrives after the first copies of the events before it in its stream,
 * whatever the duplicates. The events are appended in one transaction, so that the outbox reads them in full
 * batches, each holding several events of every stream.
 */
class OutboxStreamOrderTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static ApplicationContextRunner runner(TestBroker broker, String name, int batchSize) {
        return OutboxTestApplication.runner().withPropertyValues(TestDatabase.H2.properties())
                .withPropertyValues(broker.properties())
                .withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.name=" + name,
                        "event-store.outbox.batch-size=" + batchSize);
    }

    private static String name() {
        return "outbox-order-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Appends {@code length} events to each stream in one transaction, in runs of {@code run} events per
     * stream taking turns, each event of type withdrawn when {@code withdrawn} says so for its version and
     * deposited otherwise; returns the ids of the appended events.
     */
    private static Set<String> append(AssertableApplicationContext context, List<StreamId> streams, int length,
            int run, java.util.function.LongPredicate withdrawn) {
        EventStore store = context.getBean(EventStore.class);
        Set<String> ids = new HashSet<>();
        new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).executeWithoutResult(status -> {
            for (int version = 0; version < length; version += run) {
                for (StreamId stream : streams) {
                    List<WrappedEvent<?>> events = new ArrayList<>();
                    for (long v = version + 1; v <= version + run; v++) {
                        events.add(WrappedEvent.wrap(withdrawn.test(v) ? new MoneyWithdrawn(stream.name(), v)
                                : new MoneyDeposited(stream.name(), v)));
                    }
                    store.append(stream, version, events);
                    events.forEach(event -> ids.add(event.uuid().toString()));
                }
            }
        });
        return ids;
    }

    private static List<StreamId> streams(int count) {
        List<StreamId> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            streams.add(StreamId.named("order-" + i + "-" + UUID.randomUUID()).withCategory("order"));
        }
        return streams;
    }

    /** Receives until every event is in, or fails after {@link #WAIT}. */
    private static List<Received> receiveAll(Consumer queue, Set<String> ids) throws InterruptedException {
        List<Received> received = new ArrayList<>();
        Set<String> arrived = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!arrived.containsAll(ids) && System.nanoTime() < deadline) {
            for (Received message : queue.drain(Duration.ofMillis(200))) {
                received.add(message);
                arrived.add(message.properties().getMessageId());
            }
        }
        received.addAll(queue.drain(Duration.ofMillis(500)));
        return received;
    }

    /**
     * Fails unless the first copy of each stream's events arrived in version order, every version from 1 to
     * {@code length} there; returns how many messages were duplicates.
     */
    private static int assertEachStreamInVersionOrder(List<Received> received, List<StreamId> streams,
            int length) {
        Set<String> seen = new HashSet<>();
        Map<String, List<Long>> firstSeen = new LinkedHashMap<>();
        for (StreamId stream : streams) {
            firstSeen.put(stream.uuid().toString(), new ArrayList<>());
        }
        for (Received message : received) {
            if (seen.add(message.properties().getMessageId())) {
                firstSeen.get(message.header("stream-id")).add((Long) message.properties().getHeaders()
                        .get("version"));
            }
        }
        firstSeen.forEach((stream, versions) -> {
            for (int i = 0; i < versions.size(); i++) {
                if (versions.get(i) != i + 1) {
                    int from = Math.max(0, i - 5);
                    fail("Stream " + stream + ": the first copies of its events arrived as versions "
                            + versions.subList(from, Math.min(versions.size(), i + 5)) + " from number " + (from + 1)
                            + " on: version " + versions.get(i) + " came where version " + (i + 1) + " was due");
                }
            }
            assertThat(versions).as("stream %s", stream).hasSize(length);
        });
        return received.size() - seen.size();
    }

    private static double count(AssertableApplicationContext context, String meter, String... tags) {
        Counter counter = context.getBean(MeterRegistry.class).find(meter).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long head(AssertableApplicationContext context) {
        return context.getBean(EventStore.class).position().map(Position::value).orElse(0L);
    }

    /**
     * A queue of at most 10 messages that refuses more (RabbitMQ answers each with a negative confirm), drained by
     * a consumer slower than the outbox: the queue fills and drains again and again, so that in many batches a
     * message is refused while the ones sent after it find room again.
     */
    @Test
    void eachStreamArrivesInVersionOrderWhileAFullQueueRefusesSomeOfTheMessages() throws Exception {
        int streamCount = 4;
        int length = 300;
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.boundedQueue(10, "#");
            queue.startSlowly(Duration.ofMillis(1));
            String name = name();
            // 40 events a batch: ten of each stream, in two runs of five
            runner(broker, name, 40).run(context -> {
                List<StreamId> streams = streams(streamCount);
                Set<String> ids = append(context, streams, length, 5, version -> false);
                List<Received> received = receiveAll(queue, ids);

                int duplicates = assertEachStreamInVersionOrder(received, streams, length);
                await().atMost(WAIT).until(() -> context.getBean(Projections.class).status(name).orElseThrow()
                        .checkpoint() == head(context));
                double refused = count(context, "eventstore.outbox.refused");
                assertThat(refused).as("messages RabbitMQ refused").isPositive();
                System.out.printf("Outbox to a queue of at most 10 messages, consumed slowly: %d events in %d "
                        + "streams, %.0f messages refused, %d failed attempts, %d messages, %d duplicates%n",
                        ids.size(), streamCount, refused,
                        (long) count(context, "eventstore.projection.failures", "projection", name),
                        received.size(), duplicates);
            });
        }
    }

    /**
     * Every fourth event of each stream is routed to no queue until the test binds one for it: the outbox holds
     * on the first of them, and none of the later events of its stream reaches the queue before it.
     */
    @Test
    void noLaterEventOfAStreamArrivesBeforeOneRabbitMqReturnedAsUnroutable() throws Exception {
        int streamCount = 3;
        int length = 16;
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("ledger.MoneyDeposited");
            String name = name();
            runner(broker, name, 100).run(context -> {
                List<StreamId> streams = streams(streamCount);
                Set<String> ids = append(context, streams, length, 2, version -> version % 4 == 0);
                await().atMost(WAIT).until(() -> count(context, "eventstore.outbox.unroutable") >= 2
                        && count(context, "eventstore.projection.failures", "projection", name) >= 2);
                queue.bind("ledger.MoneyWithdrawn");
                List<Received> received = receiveAll(queue, ids);

                int duplicates = assertEachStreamInVersionOrder(received, streams, length);
                System.out.printf("Outbox with an unroutable event in every fourth of each stream, then bound: %d "
                        + "events in %d streams, %d messages, %d duplicates%n", ids.size(), streamCount,
                        received.size(), duplicates);
            });
        }
    }
}

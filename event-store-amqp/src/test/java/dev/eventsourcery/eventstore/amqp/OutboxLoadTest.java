package dev.eventsourcery.eventstore.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.amqp.TestBroker.Consumer;
import dev.eventsourcery.eventstore.amqp.TestBroker.Received;

/**
 * The outbox under load: 10,000 events over 100 streams in 3 tenants, appended by 8 threads while it runs,
 * reach a consumer every one, each stream's in version order, with the duplicates counted
 * (none are expected without a fault).
 */
class OutboxLoadTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyCommittedEventReachesTheConsumerEachStreamInVersionOrder(TestDatabase database) throws Exception {
        database.assumeReachable();
        try (TestBroker broker = TestBroker.withExchange()) {
            Consumer queue = broker.queue("#");
            String name = "outbox-load-" + UUID.randomUUID().toString().substring(0, 8);
            OutboxTestApplication.runner().withPropertyValues(database.properties())
                    .withPropertyValues(broker.properties())
                    .withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.name=" + name,
                            "spring.datasource.hikari.maximum-pool-size=12")
                    .run(context -> {
                        Appends appends = new Appends(10_000, 100);
                        long started = System.nanoTime();
                        appends.append(context.getBean(EventStore.class), 8, 0);
                        double appending = (System.nanoTime() - started) / 1e9;

                        List<Received> received = new ArrayList<>();
                        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                        while (!appends.allIn(received) && System.nanoTime() < deadline) {
                            received.addAll(queue.drain(Duration.ofMillis(200)));
                        }
                        double publishing = (System.nanoTime() - started) / 1e9;
                        received.addAll(queue.drain(Duration.ofSeconds(1)));
                        int duplicates = appends.verify(received);
                        System.out.printf("Outbox load on %s: 10000 events appended by 8 threads in %.1f s, all "
                                + "received %.1f s after the first append; %d messages, %d duplicates%n", database,
                                appending, publishing, received.size(), duplicates);
                    });
        }
    }
}

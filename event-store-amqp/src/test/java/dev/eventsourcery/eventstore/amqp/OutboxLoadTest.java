package dev.eventsourcery.eventstore.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.amqp.TestBroker.Consumer;
import dev.eventsourcery.eventstore.amqp.TestBroker.Received;
import dev.eventsourcery.eventstore.amqp.testapp.MoneyDeposited;

/**
 * The outbox under load: 10,000 events over 100 streams in 3 tenants, appended by 8 threads while it runs,
 * reach a consumer every one, each stream's in version order and all in log order, with the duplicates counted
 * (none are expected without a fault).
 */
class OutboxLoadTest {

    private static final int EVENTS = 10_000;
    private static final int STREAMS = 100;
    private static final int THREADS = 8;
    private static final List<TenantId> TENANTS = List.of(TenantId.DEFAULT, TenantId.of("load-a"),
            TenantId.of("load-b"));

    /** Where an appended event belongs: its stream in its tenant, and its version there. */
    private record Appended(String stream, long version) {
    }

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
                        EventStore store = context.getBean(EventStore.class);
                        Map<String, Appended> appended = new ConcurrentHashMap<>();
                        long started = System.nanoTime();
                        append(store, appended);
                        double appending = (System.nanoTime() - started) / 1e9;

                        Map<String, Received> first = new LinkedHashMap<>();
                        int messages = 0;
                        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                        while (first.size() < EVENTS && System.nanoTime() < deadline) {
                            for (Received message : queue.drain(Duration.ofMillis(200))) {
                                messages++;
                                first.putIfAbsent(message.properties().getMessageId(), message);
                            }
                        }
                        messages += queue.drain(Duration.ofSeconds(1)).size();
                        double total = (System.nanoTime() - started) / 1e9;
                        System.out.printf("Outbox load on %s: %d events appended by %d threads in %.1f s; %d messages "
                                + "received (%d distinct, %d duplicates) %.1f s after the first append%n", database,
                                appended.size(), THREADS, appending, messages, first.size(), messages - first.size(),
                                total);

                        assertThat(first.keySet()).containsExactlyInAnyOrderElementsOf(appended.keySet());
                        List<Long> positions = first.values().stream()
                                .map(message -> (Long) message.properties().getHeaders().get("position")).toList();
                        assertThat(positions).isSorted().doesNotHaveDuplicates();
                        Map<String, List<Long>> versions = new HashMap<>();
                        for (String id : first.keySet()) {
                            Appended event = appended.get(id);
                            versions.computeIfAbsent(event.stream(), stream -> new ArrayList<>()).add(event.version());
                        }
                        assertThat(versions).hasSize(STREAMS);
                        versions.forEach((stream, inOrder) -> assertThat(inOrder).as(stream)
                                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, inOrder.size())
                                        .boxed().toList()));
                    });
        }
    }

    /**
     * Appends the events: each thread owns the streams {@code i % THREADS == thread} and appends one to three
     * events at a time to them in turn, with the expected version.
     */
    private static void append(EventStore store, Map<String, Appended> appended) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int owner = thread;
                done.add(threads.submit(() -> {
                    List<Integer> own = new ArrayList<>();
                    for (int i = owner; i < STREAMS; i += THREADS) {
                        own.add(i);
                    }
                    Map<Integer, StreamId> ids = new HashMap<>();
                    Map<Integer, Long> versions = new HashMap<>();
                    int remaining = EVENTS / THREADS;
                    for (int turn = 0; remaining > 0; turn++) {
                        int stream = own.get(turn % own.size());
                        StreamId id = ids.computeIfAbsent(stream, i -> StreamId.random().withCategory("load"));
                        TenantId tenant = TENANTS.get(stream % TENANTS.size());
                        long version = versions.getOrDefault(stream, 0L);
                        int count = Math.min(remaining, ThreadLocalRandom.current().nextInt(1, 4));
                        List<WrappedEvent<MoneyDeposited>> events = new ArrayList<>();
                        for (int i = 0; i < count; i++) {
                            events.add(WrappedEvent.wrap(new MoneyDeposited("s" + stream, version + i + 1)));
                        }
                        store.scopedForTenant(tenant).append(id, version, events);
                        for (int i = 0; i < count; i++) {
                            appended.put(events.get(i).uuid().toString(),
                                    new Appended(tenant.value() + "/" + id.uuid(), version + i + 1));
                        }
                        versions.put(stream, version + count);
                        remaining -= count;
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }
        assertThat(appended).hasSize(EVENTS);
        assertThat(Set.copyOf(appended.values())).hasSize(EVENTS);
    }
}

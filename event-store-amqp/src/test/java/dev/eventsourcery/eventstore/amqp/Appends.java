package dev.eventsourcery.eventstore.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.amqp.TestBroker.Received;
import dev.eventsourcery.eventstore.amqp.testapp.MoneyDeposited;

/**
 * Events appended by several threads over streams in three tenants, each thread owning its streams and
 * appending one to three events at a time with the expected version; and the check that a consumer received
 * every one of them, each stream's in version order, counting the duplicates.
 */
final class Appends {

    private static final List<TenantId> TENANTS = List.of(TenantId.DEFAULT, TenantId.of("load-a"),
            TenantId.of("load-b"));

    /** Where an appended event belongs: its stream in its tenant, and its version there. */
    private record Appended(String stream, long version) {
    }

    private final Map<String, Appended> appended = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int events;
    private final int streams;

    Appends(int events, int streams) {
        this.events = events;
        this.streams = streams;
    }

    /** How many events are appended so far. */
    int count() {
        return count.get();
    }

    /**
     * Appends the events with {@code threads} threads, each owning the streams {@code i % threads == thread},
     * pausing {@code pauseMillis} after each append; returns when all are appended.
     */
    void append(EventStore store, int threads, long pauseMillis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                int owner = thread;
                int quota = events / threads + (thread < events % threads ? 1 : 0);
                done.add(pool.submit(() -> {
                    appendOwn(store, owner, threads, quota, pauseMillis);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(appended).hasSize(events);
    }

    private void appendOwn(EventStore store, int owner, int threads, int quota, long pauseMillis)
            throws InterruptedException {
        List<Integer> own = new ArrayList<>();
        for (int i = owner; i < streams; i += threads) {
            own.add(i);
        }
        Map<Integer, StreamId> ids = new HashMap<>();
        Map<Integer, Long> versions = new HashMap<>();
        int remaining = quota;
        for (int turn = 0; remaining > 0; turn++) {
            int stream = own.get(turn % own.size());
            StreamId id = ids.computeIfAbsent(stream, i -> StreamId.random().withCategory("load"));
            TenantId tenant = TENANTS.get(stream % TENANTS.size());
            long version = versions.getOrDefault(stream, 0L);
            int batch = Math.min(remaining, ThreadLocalRandom.current().nextInt(1, 4));
            List<WrappedEvent<MoneyDeposited>> wrapped = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                wrapped.add(WrappedEvent.wrap(new MoneyDeposited("s" + stream, version + i + 1)));
            }
            store.scopedForTenant(tenant).append(id, version, wrapped);
            for (int i = 0; i < batch; i++) {
                appended.put(wrapped.get(i).uuid().toString(),
                        new Appended(tenant.value() + "/" + id.uuid(), version + i + 1));
            }
            count.addAndGet(batch);
            versions.put(stream, version + batch);
            remaining -= batch;
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
        }
    }

    /**
     * Checks that the messages hold every appended event and that the first messages of each stream's events
     * arrived in version order (the outbox keeps no order across streams); returns how many messages were
     * duplicates.
     */
    int verify(List<Received> messages) {
        Map<String, Received> first = new LinkedHashMap<>();
        for (Received message : messages) {
            first.putIfAbsent(message.properties().getMessageId(), message);
        }
        assertThat(first.keySet()).containsExactlyInAnyOrderElementsOf(appended.keySet());
        Map<String, List<Long>> versions = new HashMap<>();
        for (String id : first.keySet()) {
            Appended event = appended.get(id);
            versions.computeIfAbsent(event.stream(), stream -> new ArrayList<>()).add(event.version());
        }
        assertThat(versions).hasSize(streams);
        versions.forEach((stream, inOrder) -> assertThat(inOrder).as(stream)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, inOrder.size()).boxed().toList()));
        return messages.size() - first.size();
    }

    /** Whether the messages hold every appended event at least once. */
    boolean allIn(List<Received> messages) {
        return messages.stream().map(message -> message.properties().getMessageId()).distinct().count() == events;
    }
}

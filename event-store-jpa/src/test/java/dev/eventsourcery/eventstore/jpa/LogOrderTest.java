package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * Within a stream the log follows versions by construction, whatever order the database hands out event ids
 * in: here the identity of {@code es_event} runs backwards, so every append's events get lower ids than the
 * events appended before them, and within an append the last event gets the lowest.
 */
class LogOrderTest {

    @Test
    void aPassGivesEachStreamsEventsItsPlacesInVersionOrderAndLeavesOtherStreamsWhereTheyAre() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID versionless = UUID.randomUUID();
        List<LogRows.Pending> byId = List.of(pending(1, first, 3L), pending(2, second, 1L), pending(3, first, 1L),
                pending(4, versionless, null), pending(5, first, 2L), pending(6, versionless, null),
                pending(7, second, 2L));

        List<LogRows.Pending> ordered = LogOrder.of(byId);

        assertThat(ordered).extracting(LogRows.Pending::seq).containsExactly(3L, 2L, 5L, 4L, 1L, 6L, 7L);
    }

    @Test
    void manyStreamsScrambledComeOutInVersionOrderPerStream() {
        Random random = new Random(42);
        List<LogRows.Pending> events = new ArrayList<>();
        Map<UUID, Long> versions = new HashMap<>();
        List<UUID> streams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            streams.add(UUID.randomUUID());
        }
        for (int seq = 1; seq <= 5000; seq++) {
            UUID stream = streams.get(random.nextInt(streams.size()));
            events.add(pending(seq, stream, versions.merge(stream, 1L, Long::sum)));
        }
        Collections.shuffle(events, random);

        List<LogRows.Pending> ordered = LogOrder.of(events);

        assertThat(ordered).hasSize(events.size()).containsExactlyInAnyOrderElementsOf(events);
        Map<UUID, Long> last = new HashMap<>();
        for (LogRows.Pending event : ordered) {
            Long previous = last.put(event.streamRow(), event.version());
            assertThat(event.version()).isEqualTo(previous == null ? 1L : previous + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void withEventIdsRunningBackwardsEveryStreamIsLoggedInVersionOrder(TestDatabase database) throws Exception {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.onNewDatabase(database);
        JpaEventStorage storage = context.storage();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            runIdsBackwards(context);
            EventStore store = StorageEventStore.builder(storage).build();
            List<StreamId> streams = List.of(StreamId.random(), StreamId.random(), StreamId.random());
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        // appends of one to a few events, and now and then one too large for one statement
                        int size = i == 10 * writer ? 2500 : 1 + i % 4;
                        store.append(streams.get((writer + i) % streams.size()), Versioning.ANY,
                                LogLivenessTest.numbers(size));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES);
            }
            assertThat(context.jdbc.queryForObject("select max(seq) - min(seq) from es_event", Long.class))
                    .as("event ids far apart: the identity ran backwards").isPositive();

            store.position();
            List<RecordedEvent<?>> logged = new ArrayList<>();
            try (Subscription subscription = store.subscribe().build()) {
                List<RecordedEvent<?>> polled;
                while (!(polled = subscription.poll(1000, java.time.Duration.ZERO)).isEmpty()) {
                    logged.addAll(polled);
                }
            }
            int stored = context.jdbc.queryForObject("select count(*) from es_event", Integer.class);
            assertThat(logged).hasSize(stored);
            for (StreamId stream : streams) {
                List<Long> versions = logged.stream().filter(event -> event.streamId().equals(stream))
                        .map(event -> event.wrappedEvent().version()).toList();
                assertThat(versions).as("stream %s in the log", stream).isSorted().doesNotHaveDuplicates()
                        .hasSize(store.loadStream(stream).size()).startsWith(1L);
            }
            new LogTables(context.jdbc).assertNoOrphans(store);
        } finally {
            threads.shutdownNow();
            storage.close();
            context.close();
        }
    }

    /** Makes the identity of {@code es_event} hand out ever lower values from a billion down. */
    static void runIdsBackwards(JpaTestContext context) {
        context.jdbc.execute(switch (context.database) {
            case POSTGRESQL -> "alter table es_event alter column seq set increment by -1 set minvalue 1 "
                    + "set maxvalue 2000000000 restart with 1000000000";
            case MARIADB -> "alter sequence es_event_seq increment by -1 minvalue 1 maxvalue 2000000000 "
                    + "restart with 1000000000";
            case H2 -> "alter table es_event alter column seq set increment by -1 set minvalue 1 "
                    + "set maxvalue 2000000000 restart with 1000000000";
        });
    }

    private static LogRows.Pending pending(long seq, UUID stream, Long version) {
        return new LogRows.Pending(seq, "", "", "NumberAdded", stream, version);
    }
}

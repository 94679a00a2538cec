package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * On PostgreSQL a numbering pass looks events and streams up by their keys, whatever the plans its connection
 * prepared while the tables were small: a new store grows fast, the statistics lag behind, and a plan made for
 * a table of a few dozen rows (a scan of the whole table) stays in the connection's cache. Here the pool has one
 * connection that prepares every statement at once and keeps generic plans, the tables are analyzed at 60 events
 * and then grow with autovacuum off; the pass after the growth must scan neither the event nor the stream table.
 */
class NumberingPlanTest {

    @Test
    void aPassOnTablesGrownSinceItsPlansWereMadeReadsEventsAndStreamsByKey() throws Exception {
        TestDatabase.POSTGRESQL.assumeReachable();
        JpaTestContext context = JpaTestContext.onNewDatabase(TestDatabase.POSTGRESQL, pool -> {
            pool.setMaximumPoolSize(1);
            pool.addDataSourceProperty("prepareThreshold", "1");
            pool.addDataSourceProperty("options", "-c plan_cache_mode=force_generic_plan");
        });
        JpaEventStorage storage = context.storage();
        // appends that wake no pass: the events wait for the passes of position() on this thread
        JpaEventStorage stopped = context.storage();
        stopped.close();
        try {
            EventStore store = StorageEventStore.builder(storage).build();
            EventStore unnumbered = StorageEventStore.builder(stopped).build();
            JdbcTemplate jdbc = context.jdbc;
            jdbc.execute("alter table es_event set (autovacuum_enabled = false)");
            jdbc.execute("alter table es_stream set (autovacuum_enabled = false)");
            for (int i = 0; i < 60; i++) {
                unnumbered.append(StreamId.random(), 0, LogLivenessTest.numbers(1));
            }
            jdbc.execute("analyze es_event");
            jdbc.execute("analyze es_stream");
            // passes that prepare the pass's statements while the tables hold 60 events
            for (int i = 0; i < 3; i++) {
                unnumbered.append(StreamId.random(), 0, LogLivenessTest.numbers(1));
                store.position();
            }
            for (int i = 0; i < 400; i++) {
                unnumbered.append(StreamId.random(), 0, LogLivenessTest.numbers(1));
            }
            Map<String, Long> before = sequentialScans(jdbc);

            long head = store.position().orElseThrow().value();

            Map<String, Long> after = sequentialScans(jdbc);
            System.out.printf("NumberingPlanTest: sequential scans before the pass %s, after it %s%n", before, after);
            assertThat(head).isEqualTo(463);
            assertThat(after).as("sequential scans of the event and stream tables").isEqualTo(before);
        } finally {
            storage.close();
            context.close();
        }
    }

    /**
     * The sequential scans of the event and stream tables so far, once the server's statistics hold every
     * statement of the pass: a session reports its counts when idle, at most a second late.
     */
    private static Map<String, Long> sequentialScans(JdbcTemplate jdbc) throws InterruptedException {
        Thread.sleep(1500);
        return Map.of("es_event", scans(jdbc, "es_event"), "es_stream", scans(jdbc, "es_stream"));
    }

    private static long scans(JdbcTemplate jdbc, String table) {
        Long scans = jdbc.queryForObject("select seq_scan from pg_stat_user_tables where relname = ?", Long.class,
                table);
        return scans == null ? 0 : scans;
    }
}

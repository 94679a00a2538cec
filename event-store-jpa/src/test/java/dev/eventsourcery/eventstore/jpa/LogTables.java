package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;

/** What the tests check in the log's own tables, beneath the API. */
final class LogTables {

    private final JdbcTemplate jdbc;

    LogTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * After {@code store.position()} has numbered every committed event: nothing is left pending or waiting to
     * leave the log, and every row of the log has its event.
     */
    void assertNoOrphans(EventStore store) {
        store.position();
        assertThat(count("select count(*) from es_pending p where not exists (select 1 from es_event e where e.seq = p.seq)"))
                .as("pending rows whose event is gone").isZero();
        assertThat(count("select count(*) from es_pending")).as("pending rows once every committed event is numbered")
                .isZero();
        assertThat(count("select count(*) from es_log l where not exists (select 1 from es_event e where e.seq = l.seq)"))
                .as("rows of the log whose event is gone").isZero();
        assertThat(count("select count(*) from es_deleted")).as("deleted events still to leave the log").isZero();
        assertThat(count("select count(*) from es_event e where not exists (select 1 from es_log l where l.seq = e.seq)"))
                .as("stored events without a position").isZero();
    }

    /** The versions of a stream's events in log order. */
    List<Long> loggedVersions(TenantId tenant, StreamId stream) {
        List<Long> versions = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("select e.version from es_log l join es_event e on e.seq = l.seq "
                + "where e.stream_id = ? order by l.position", StreamKeys.rowId(tenant, stream))) {
            versions.add(((Number) row.get("version")).longValue());
        }
        return versions;
    }

    int count(String sql) {
        Integer count = jdbc.queryForObject(sql, Integer.class);
        return count == null ? 0 : count;
    }
}

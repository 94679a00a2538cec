package dev.eventsourcery.eventstore.spring.projection;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.TenantId;

/**
 * The statements on a projection's row ({@code es_projection}) and its dead letters ({@code es_dead_letter}).
 * They run in the caller's transaction when there is one (the batch's), otherwise each on its own.
 */
final class ProjectionRows {

    /** A projection's row. */
    record Row(String name, long position, ProjectionState state, @Nullable String owner, long leaseUntil,
            @Nullable String error, @Nullable Long errorPosition) {
    }

    private static final String COLUMNS = "select name, position, state, owner, lease_until, error, error_position "
            + "from es_projection";
    private static final int LONGEST_ERROR = 4000;

    private final JdbcTemplate jdbc;

    ProjectionRows(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Creates the row at the given position unless it exists; another instance may create it first. */
    void createIfAbsent(String name, long position) {
        if (find(name).isPresent()) {
            return;
        }
        try {
            jdbc.update("insert into es_projection (name, position, state, owner, lease_until) values (?, ?, ?, null, 0)",
                    name, position, ProjectionState.RUNNING.name());
        } catch (DuplicateKeyException e) {
            // created by another instance in between
        }
    }

    Optional<Row> find(String name) {
        return jdbc.query(COLUMNS + " where name = ?", (row, i) -> new Row(row.getString(1), row.getLong(2),
                ProjectionState.valueOf(row.getString(3)), row.getString(4), row.getLong(5), row.getString(6),
                row.getObject(7, Long.class)), name).stream().findFirst();
    }

    /**
     * Takes or renews the lease: succeeds when nobody holds it, this instance does, or the holder's lease ran
     * out before {@code now}.
     */
    boolean claim(String name, String owner, long now, long until) {
        return jdbc.update("update es_projection set owner = ?, lease_until = ? where name = ? "
                + "and (owner is null or owner = ? or lease_until < ?)", owner, until, name, owner, now) == 1;
    }

    /**
     * Renews the lease {@code owner} holds, on a connection of its own when called outside a transaction; false
     * when another instance holds it now. Unlike {@link #claim}, it never takes a lease that was given up.
     */
    boolean renew(String name, String owner, long until) {
        return jdbc.update("update es_projection set lease_until = ? where name = ? and owner = ?", until, name,
                owner) == 1;
    }

    /** Gives the lease up, when this instance holds it. */
    void release(String name, String owner) {
        jdbc.update("update es_projection set owner = null, lease_until = 0 where name = ? and owner = ?", name, owner);
    }

    /**
     * Moves the checkpoint from {@code from} to {@code to} and renews the lease, when {@code owner} holds the
     * lease, the checkpoint is still {@code from} and the projection runs: a compare-and-set, which in a batch's
     * transaction also locks the row until the commit. False when any of these no longer holds (the lease was
     * taken over, or the projection reset, paused or stopped): the batch must then roll back.
     */
    boolean advance(String name, String owner, long from, long to, long until) {
        return jdbc.update("update es_projection set position = ?, lease_until = ? where name = ? and owner = ? "
                + "and position = ? and state = ?", to, until, name, owner, from, ProjectionState.RUNNING.name()) == 1;
    }

    /**
     * Stops the projection on the event at {@code position}, under the same conditions as {@link #advance};
     * false when they no longer hold.
     */
    boolean fail(String name, String owner, long from, long position, String error) {
        return jdbc.update("update es_projection set state = ?, error = ?, error_position = ? where name = ? "
                + "and owner = ? and position = ? and state = ?", ProjectionState.FAILED.name(), truncate(error),
                position, name, owner, from, ProjectionState.RUNNING.name()) == 1;
    }

    /** Sets the state and clears a recorded failure; false when the projection has no row. */
    boolean state(String name, ProjectionState state) {
        return jdbc.update("update es_projection set state = ?, error = null, error_position = null where name = ?",
                state.name(), name) == 1;
    }

    /**
     * Moves the checkpoint and drops the dead letters after it; a paused projection stays paused, a failed one
     * runs again. False without a row.
     */
    boolean reset(String name, long position) {
        int updated = jdbc.update("update es_projection set position = ?, state = case when state = ? then state "
                + "else ? end, error = null, error_position = null where name = ?", position,
                ProjectionState.PAUSED.name(), ProjectionState.RUNNING.name(), name);
        jdbc.update("delete from es_dead_letter where projection = ? and position > ?", name, position);
        return updated == 1;
    }

    /**
     * Records the event at {@code position} as a dead letter of the projection.
     *
     * @param stream the event's stream, as {@code StreamId.toString()} shows it
     */
    void deadLetter(String name, long position, TenantId tenantId, String stream, UUID eventId, String type,
            String error, int attempts, Instant now) {
        jdbc.update("insert into es_dead_letter (projection, position, tenant_id, stream, event_uuid, event_type, "
                + "error, attempts, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", name, position,
                tenantId.value(), truncate(stream, 600), eventId.toString(), type, truncate(error), attempts,
                now.toEpochMilli());
    }

    List<DeadLetter> deadLetters(String name) {
        return jdbc.query("select projection, position, tenant_id, stream, event_uuid, event_type, error, attempts, "
                + "recorded_at from es_dead_letter where projection = ? order by position", (row, i) -> new DeadLetter(
                row.getString(1), row.getLong(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), row.getInt(8), Instant.ofEpochMilli(row.getLong(9))), name);
    }

    long deadLetterCount(String name) {
        Long count = jdbc.queryForObject("select count(*) from es_dead_letter where projection = ?", Long.class, name);
        return count == null ? 0 : count;
    }

    /** Removes a dead letter; false when there was none. */
    boolean removeDeadLetter(String name, long position) {
        return jdbc.update("delete from es_dead_letter where projection = ? and position = ?", name, position) == 1;
    }

    private static String truncate(String text) {
        return truncate(text, LONGEST_ERROR);
    }

    private static String truncate(String text, int most) {
        return text.length() <= most ? text : text.substring(0, most - 1) + "…";
    }
}

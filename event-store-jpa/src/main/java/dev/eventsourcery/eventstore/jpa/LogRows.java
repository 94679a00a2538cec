package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.storage.EventRecord;
import dev.eventsourcery.eventstore.storage.LogQuery;
import dev.eventsourcery.eventstore.storage.LogRecord;

/**
 * The statements on the log's tables: the pending events ({@code es_pending}), the numbered log
 * ({@code es_log}) and its head ({@code es_log_head}).
 */
final class LogRows {

    /** A committed event waiting for its position, with what the log keeps to filter it by. */
    record Pending(long seq, String tenantId, String category, String type) {
    }

    private static final String ANY_PENDING = "select seq from es_pending limit 1";
    private static final String PENDING_SEQS = "select seq from es_pending order by seq limit ?";
    private static final String PENDING_EVENTS = "select e.seq, e.tenant_id, s.category, e.event_type from es_event e "
            + "join es_stream s on s.id = e.stream_id";
    private static final String LOCK_HEAD = "select position from es_log_head where id = 1 for update";
    private static final String HEAD = "select position from es_log_head where id = 1";
    private static final String SET_HEAD = "update es_log_head set position = ? where id = 1";
    private static final String NUMBER = "insert into es_log (position, seq, tenant_id, category, event_type) "
            + "values (?, ?, ?, ?, ?)";
    private static final String HIGHEST = "select max(position) from es_log";
    private static final String NOTIFY = "select pg_notify(?, ?)";
    private static final String READ = "select l.position, l.tenant_id, e.stream_id, e.version, e.event_uuid, "
            + "e.event_type, e.schema_version, e.payload, e.context, e.created_at from es_log l "
            + "join es_event e on e.seq = l.seq where l.position > ?";
    private static final String STREAM_SEQS = "select seq from es_event where stream_id = ? and tenant_id = ?";
    private static final String DELETE_PENDING = "delete from es_pending where seq = ?";
    private static final String DELETE_NUMBERED = "delete from es_log where seq = ?";

    /** The channel PostgreSQL notifications of numbered events go to; its payload is the new head. */
    static final String CHANNEL = "es_log";

    private final DatabasePlatform platform;
    private final int fetchSize;

    LogRows(DatabasePlatform platform, int fetchSize) {
        this.platform = platform;
        this.fetchSize = fetchSize;
    }

    /** Whether any committed event is pending. */
    boolean anyPending(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ANY_PENDING); ResultSet row = statement.executeQuery()) {
            return row.next();
        }
    }

    /**
     * Up to {@code limit} committed pending events, oldest first; an uncommitted one is neither seen nor waited
     * for. The pending rows are read alone, on their primary key, then their events by theirs: a join would
     * leave the plan to statistics of a table that is empty most of the time, and grown, the planner chose
     * scans of the whole event table for it.
     */
    List<Pending> pending(Connection connection, int limit) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(PENDING_SEQS)) {
            statement.setInt(1, limit);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    seqs.add(row.getLong(1));
                }
            }
        }
        if (seqs.isEmpty()) {
            return List.of();
        }
        List<Pending> pending = new ArrayList<>(seqs.size());
        try (PreparedStatement statement = connection.prepareStatement(PENDING_EVENTS + switch (platform) {
            // each database looks the events up on their key only when given the list its own way
            case POSTGRESQL -> " where e.seq = any(?) order by e.seq";
            case STANDARD -> " join table(x bigint = ?) p on p.x = e.seq order by e.seq";
            case MARIADB -> " where e.seq in (" + String.join(", ", Collections.nCopies(seqs.size(), "?")) + ") order by e.seq";
        })) {
            if (platform == DatabasePlatform.MARIADB) {
                for (int i = 0; i < seqs.size(); i++) {
                    statement.setLong(i + 1, seqs.get(i));
                }
            } else if (platform == DatabasePlatform.POSTGRESQL) {
                statement.setArray(1, connection.createArrayOf("bigint", seqs.toArray()));
            } else {
                statement.setObject(1, seqs.toArray(new Long[0]));
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    pending.add(new Pending(row.getLong(1), row.getString(2), row.getString(3), row.getString(4)));
                }
            }
        }
        return pending;
    }

    /** Locks the head row until the transaction ends and returns the highest position ever given. */
    long lockHead(Connection connection) throws SQLException {
        return single(connection, LOCK_HEAD);
    }

    /** The highest position ever given; every event numbered up to it is visible to a read that follows. */
    long head(Connection connection) throws SQLException {
        return single(connection, HEAD);
    }

    /**
     * Takes pending events out of {@code es_pending}, returning those that were still there: one that a
     * delete of its stream removed meanwhile is gone, and is not numbered.
     */
    Set<Long> claim(Connection connection, List<Long> seqs) throws SQLException {
        return platform.claimPending(connection, seqs);
    }

    /** Gives events their positions, after {@code head}, in the given order. */
    void number(Connection connection, long head, List<Pending> events) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(NUMBER)) {
            long position = head;
            for (Pending event : events) {
                statement.setLong(1, ++position);
                statement.setLong(2, event.seq());
                statement.setString(3, event.tenantId());
                statement.setString(4, event.category());
                statement.setString(5, event.type());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Moves the head of a row this transaction has locked. */
    void setHead(Connection connection, long head) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_HEAD)) {
            statement.setLong(1, head);
            statement.executeUpdate();
        }
    }

    /** Tells listening PostgreSQL sessions, when this transaction commits, that the log reached {@code head}. */
    void notifyListeners(Connection connection, long head) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(NOTIFY)) {
            statement.setString(1, CHANNEL);
            statement.setString(2, Long.toString(head));
            statement.executeQuery().close();
        }
    }

    /** The highest position of an event still stored; {@code null} when there is none. */
    @Nullable Long highest(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(HIGHEST); ResultSet row = statement.executeQuery()) {
            row.next();
            long highest = row.getLong(1);
            return row.wasNull() ? null : highest;
        }
    }

    /**
     * The events of the log after {@code query.after()} that match its filters, in position order, with their
     * streams' identities from {@code streams}: an event whose stream was deleted since is left out.
     */
    List<LogRecord> read(Connection connection, LogQuery query, StreamIdentities streams) throws SQLException {
        List<String> conditions = new ArrayList<>();
        if (query.tenant() != null) {
            conditions.add("l.tenant_id = ?");
        }
        if (query.category() != null) {
            conditions.add("l.category = ?");
        }
        if (query.types() != null) {
            conditions.add("l.event_type in (" + String.join(", ", Collections.nCopies(query.types().size(), "?")) + ")");
        }
        StringBuilder sql = new StringBuilder(READ);
        if (!conditions.isEmpty()) {
            sql.append(platform.logFilter(conditions));
        }
        sql.append(" order by l.position limit ?");
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            statement.setFetchSize(Math.min(fetchSize, query.limit()));
            int index = 1;
            statement.setLong(index++, query.after());
            if (query.tenant() != null) {
                statement.setString(index++, query.tenant().value());
            }
            if (query.category() != null) {
                statement.setString(index++, query.category());
            }
            if (query.types() != null) {
                for (String type : query.types()) {
                    statement.setString(index++, type);
                }
            }
            statement.setInt(index, query.limit());
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.add(row(row));
                }
            }
        }
        Set<UUID> streamRows = new LinkedHashSet<>();
        rows.forEach(row -> streamRows.add(row.streamRow()));
        Map<UUID, StreamId> identities = streams.of(connection, streamRows);
        List<LogRecord> records = new ArrayList<>(rows.size());
        for (Row row : rows) {
            StreamId streamId = identities.get(row.streamRow());
            if (streamId != null) {
                records.add(new LogRecord(row.position(), row.tenantId(), streamId, row.event()));
            }
        }
        return records;
    }

    /** A row of the log as read, its stream known by its row id. */
    private record Row(long position, TenantId tenantId, UUID streamRow, EventRecord event) {
    }

    private Row row(ResultSet row) throws SQLException {
        long position = row.getLong(1);
        String tenant = row.getString(2);
        UUID streamRow = platform.uuid(row, 3);
        long storedVersion = row.getLong(4);
        Long version = row.wasNull() ? null : storedVersion;
        EventRecord event = new EventRecord(platform.uuid(row, 5), version, row.getString(6), row.getInt(7),
                row.getString(8), row.getString(9), platform.instant(row, 10));
        return new Row(position, tenant.isEmpty() ? TenantId.DEFAULT : TenantId.of(tenant), streamRow, event);
    }

    /**
     * Removes a stream's events from the log and from the pending events, before the events themselves:
     * row by row on the primary key, so that the delete locks (or waits for) no other stream's rows, nor an
     * open append's.
     */
    void delete(Connection connection, UUID rowId, TenantId tenantId) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(STREAM_SEQS)) {
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    seqs.add(row.getLong(1));
                }
            }
        }
        if (seqs.isEmpty()) {
            return;
        }
        for (String sql : List.of(DELETE_PENDING, DELETE_NUMBERED)) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (long seq : seqs) {
                    statement.setLong(1, seq);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("The log's head row is missing from es_log_head: the schema script inserts it");
            }
            return row.getLong(1);
        }
    }
}

package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
 * ({@code es_log}), its head ({@code es_log_head}) and the deleted events still to leave it
 * ({@code es_deleted}).
 */
final class LogRows {

    /**
     * A committed event waiting for its position, with what the log keeps to filter it by and what orders it
     * within its stream: its stream row and version ({@code null} in a versionless stream).
     */
    record Pending(long seq, String tenantId, String category, String type, UUID streamRow, @Nullable Long version) {
    }

    /** The committed pending events, in the order of their event ids, and the pending rows whose events are gone. */
    record PendingEvents(List<Pending> events, List<Long> gone) {
    }

    /** How many keys a statement on the log's tables names at most. */
    private static final int KEYS_PER_STATEMENT = 1000;

    private static final String WORK = "(select 1 from es_pending limit 1) union all (select 2 from es_deleted limit 1)";
    private static final String PENDING_SEQS = "select seq from es_pending order by seq";
    private static final String DELETED_SEQS = "select seq from es_deleted order by seq limit " + KEYS_PER_STATEMENT;
    private static final String PENDING_EVENTS = "select e.seq, e.tenant_id, s.category, e.event_type, e.stream_id, "
            + "e.version from es_event e join es_stream s on s.id = e.stream_id";
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

    /** The channel PostgreSQL notifications of numbered events go to; its payload is the new head. */
    static final String CHANNEL = "es_log";

    private final DatabasePlatform platform;
    private final int fetchSize;

    LogRows(DatabasePlatform platform, int fetchSize) {
        this.platform = platform;
        this.fetchSize = fetchSize;
    }

    /** What a numbering pass has to do, as far as committed rows tell. */
    record Work(boolean pending, boolean deleted) {

        boolean any() {
            return pending || deleted;
        }
    }

    /** Whether any committed event is pending, and whether any deleted one is still to leave the log. */
    Work work(Connection connection) throws SQLException {
        boolean pending = false;
        boolean deleted = false;
        try (PreparedStatement statement = connection.prepareStatement(WORK); ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                pending |= row.getInt(1) == 1;
                deleted |= row.getInt(1) == 2;
            }
        }
        return new Work(pending, deleted);
    }

    /**
     * Every committed pending event, in the order of the event ids; an uncommitted one is neither seen nor waited
     * for. The pending rows are read alone, on their primary key, then their events by theirs: a join would
     * leave the plan to statistics of a table that is empty most of the time, and grown, the planner chose scans
     * of the whole event table for it. A pending row whose event is not found belongs to an event deleted since
     * (or, in a database an earlier version wrote, long ago): it is in {@code gone}.
     */
    PendingEvents pending(Connection connection) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(PENDING_SEQS)) {
            statement.setFetchSize(fetchSize);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    seqs.add(row.getLong(1));
                }
            }
        }
        List<Pending> events = new ArrayList<>(seqs.size());
        // one instance of each tenant, category and type name, however many events a pass holds
        Map<String, String> names = new HashMap<>();
        for (int from = 0; from < seqs.size(); from += KEYS_PER_STATEMENT) {
            List<Long> chunk = seqs.subList(from, Math.min(seqs.size(), from + KEYS_PER_STATEMENT));
            try (PreparedStatement statement = connection.prepareStatement(PENDING_EVENTS
                    + platform.keysClause("e.seq", chunk.size()) + " order by e.seq")) {
                platform.bindKeys(connection, statement, 1, chunk);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        long stored = row.getLong(6);
                        Long version = row.wasNull() ? null : stored;
                        events.add(new Pending(row.getLong(1), name(names, row.getString(2)), name(names, row.getString(3)),
                                name(names, row.getString(4)), platform.uuid(row, 5), version));
                    }
                }
            }
        }
        List<Long> gone = new ArrayList<>();
        if (events.size() < seqs.size()) {
            Set<Long> found = new HashSet<>();
            events.forEach(event -> found.add(event.seq()));
            seqs.stream().filter(seq -> !found.contains(seq)).forEach(gone::add);
        }
        return new PendingEvents(events, gone);
    }

    private static String name(Map<String, String> names, String name) {
        return names.computeIfAbsent(name, key -> key);
    }

    /**
     * Makes this transaction read and change the log's tables on their keys. A pass looks rows up by lists of
     * keys, a few hundred of tens of millions; PostgreSQL plans from statistics that lag behind tables that grow
     * fast (a new store, a burst of appends) and keeps plans a connection prepared while the tables were small:
     * measured, with 16 writers on a new store, the pass's read of its events ran as scans of the whole event
     * and stream tables, 11.8 ms a pass instead of 0.65 ms, and took more of the server than the appends.
     */
    void lookUpByKeys(Connection connection) throws SQLException {
        if (platform == DatabasePlatform.POSTGRESQL) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("set local enable_seqscan = off; set local enable_hashjoin = off; "
                        + "set local enable_mergejoin = off");
            }
        }
    }

    /** Locks the head row until the transaction ends and returns the highest position ever given. */
    long lockHead(Connection connection) throws SQLException {
        return single(connection, LOCK_HEAD);
    }

    /** The highest position ever given; every event numbered up to it is visible to a read that follows. */
    long head(Connection connection) throws SQLException {
        return single(connection, HEAD);
    }

    /** Takes events out of the pending ones: numbered now, or gone. */
    void take(Connection connection, List<Long> seqs) throws SQLException {
        deleteKeys(connection, "es_pending", seqs);
    }

    /**
     * Removes from the log, and from the pending events, the events that deletes of their streams recorded in
     * {@code es_deleted}, and then those records. Only numbering passes write these rows, one after the other
     * under the head's lock; the delete itself touched none of them, so it held up no pass however long its
     * transaction stayed open.
     *
     * @return how many deleted events were removed
     */
    int removeDeleted(Connection connection) throws SQLException {
        int removed = 0;
        while (true) {
            List<Long> seqs = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(DELETED_SEQS);
                    ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    seqs.add(row.getLong(1));
                }
            }
            if (seqs.isEmpty()) {
                return removed;
            }
            deleteKeys(connection, "es_log", seqs);
            deleteKeys(connection, "es_pending", seqs);
            deleteKeys(connection, "es_deleted", seqs);
            removed += seqs.size();
            if (seqs.size() < KEYS_PER_STATEMENT) {
                return removed;
            }
        }
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

    /** Deletes rows of a log table by their events' ids, a statement per {@value #KEYS_PER_STATEMENT}. */
    private void deleteKeys(Connection connection, String table, List<Long> seqs) throws SQLException {
        for (int from = 0; from < seqs.size(); from += KEYS_PER_STATEMENT) {
            platform.deleteByKeys(connection, table, seqs.subList(from, Math.min(seqs.size(), from + KEYS_PER_STATEMENT)));
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

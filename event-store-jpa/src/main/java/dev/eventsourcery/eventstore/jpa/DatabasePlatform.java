package dev.eventsourcery.eventstore.jpa;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.MariaDBDialect;
import org.hibernate.dialect.MySQLDialect;
import org.hibernate.dialect.PostgreSQLDialect;

/**
 * What differs per database: the statements that create a row only if it is absent without an error
 * (PostgreSQL aborts a whole transaction on a failed statement), and how JSON, UUIDs and instants are
 * bound and read.
 */
enum DatabasePlatform {

    POSTGRESQL("PostgreSQL",
            "insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
                    + "values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
            "insert into es_snapshot (stream_id, version, tenant_id, snapshot_uuid, event_type, schema_version, "
                    + "payload, context, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "on conflict (stream_id, version) do update set "
                    + "tenant_id = excluded.tenant_id, snapshot_uuid = excluded.snapshot_uuid, "
                    + "event_type = excluded.event_type, schema_version = excluded.schema_version, "
                    + "payload = excluded.payload, context = excluded.context, created_at = excluded.created_at") {
        @Override
        void bindJson(PreparedStatement statement, int index, String json) throws SQLException {
            // an untyped parameter: the server reads the text into the json column
            statement.setObject(index, json, Types.OTHER);
        }

        @Override
        String deleteEvents() {
            return "with d as (" + DELETE_EVENTS + " returning seq) insert into es_deleted (seq) select seq from d";
        }

        @Override
        String keysClause(String column, int count) {
            return " where " + column + " = any(?)";
        }

        @Override
        void bindKeys(Connection connection, PreparedStatement statement, int index, List<Long> keys)
                throws SQLException {
            statement.setArray(index, connection.createArrayOf("bigint", keys.toArray()));
        }

        @Override
        void deleteByKeys(Connection connection, String table, List<Long> seqs) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("delete from " + table + " where seq = any(?)")) {
                bindKeys(connection, statement, 1, seqs);
                statement.executeUpdate();
            }
        }
    },

    /**
     * MariaDB (and MySQL): a missing stream row is created with {@code on duplicate key update}, which
     * takes the row's exclusive lock whether it inserts or finds the row. {@code insert ignore} followed by
     * a locking read would take a shared lock first, and two writers upgrading their shared locks deadlock.
     */
    MARIADB("MariaDB",
            "insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
                    + "values (?, ?, ?, ?, ?, ?, ?) on duplicate key update version = version",
            "insert into es_snapshot (stream_id, version, tenant_id, snapshot_uuid, event_type, schema_version, "
                    + "payload, context, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on duplicate key update "
                    + "tenant_id = values(tenant_id), snapshot_uuid = values(snapshot_uuid), "
                    + "event_type = values(event_type), schema_version = values(schema_version), "
                    + "payload = values(payload), context = values(context), created_at = values(created_at)") {
        @Override
        void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
            // datetime(6) keeps no zone: the store keeps UTC
            statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
        }

        @Override
        Instant instant(ResultSet row, int index) throws SQLException {
            return row.getObject(index, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }

        /** The schema's trigger {@code es_event_deleted} records each deleted event for the log. */
        @Override
        String deleteEvents() {
            return DELETE_EVENTS;
        }

        @Override
        String keysClause(String column, int count) {
            return " where " + column + " in (" + String.join(", ", Collections.nCopies(count, "?")) + ")";
        }

        @Override
        void bindKeys(Connection connection, PreparedStatement statement, int index, List<Long> keys)
                throws SQLException {
            for (long key : keys) {
                statement.setLong(index++, key);
            }
        }

        @Override
        String insertStreamIfAbsent() {
            // an existing row reads as 0 rows changed; the shared lock it takes is never upgraded
            return "insert ignore into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
                    + "values (?, ?, ?, ?, ?, ?, ?)";
        }
    },

    /**
     * H2 and any other database: an insert guarded by a not-exists check. Two writers creating one stream
     * at once end with a duplicate key for one of them, after the other committed; H2 keeps the transaction
     * usable after that statement, so the writer reads the row the other created.
     */
    STANDARD("H2",
            "insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
                    + "select ?, ?, ?, ?, ?, ?, ? where not exists (select 1 from es_stream s where s.id = ?)",
            "merge into es_snapshot (stream_id, version, tenant_id, snapshot_uuid, event_type, schema_version, "
                    + "payload, context, created_at) key (stream_id, version) values (?, ?, ?, ?, ?, ?, ?, ?, ?)") {
        @Override
        void bindJson(PreparedStatement statement, int index, String json) throws SQLException {
            // H2 reads bytes as JSON text; a character string would become a JSON string value
            statement.setBytes(index, json.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        boolean bindsIdAgain() {
            return true;
        }

        @Override
        String deleteEvents() {
            return "insert into es_deleted (seq) select seq from old table (" + DELETE_EVENTS + ")";
        }

        /** A join with the list as a table: H2 runs an {@code in} list as a scan, testing the list on every row. */
        @Override
        String keysClause(String column, int count) {
            return " join table(x bigint = ?) k on k.x = " + column;
        }

        @Override
        void bindKeys(Connection connection, PreparedStatement statement, int index, List<Long> keys)
                throws SQLException {
            statement.setObject(index, keys.toArray(new Long[0]));
        }

        /**
         * The filters inside one {@code case}, which H2 cannot match to an index: it then reads the log along
         * its primary key from the position on and stops at the limit. Given the column conditions, H2 picks
         * the tenant, category or type index, whose rows it must all read and sort before the limit: a
         * catch-up of n events would read n²/batch rows.
         */
        @Override
        String logFilter(List<String> conditions) {
            return " and case when " + String.join(" and ", conditions) + " then true else false end";
        }
    };

    /** Deletes a stream's events; binds stream row id and tenant. */
    private static final String DELETE_EVENTS = "delete from es_event where stream_id = ? and tenant_id = ?";

    private final String productName;
    private final String createStreamIfAbsent;
    private final String saveSnapshot;

    DatabasePlatform(String productName, String createStreamIfAbsent, String saveSnapshot) {
        this.productName = productName;
        this.createStreamIfAbsent = createStreamIfAbsent;
        this.saveSnapshot = saveSnapshot;
    }

    /**
     * The conditions a log read adds after its position condition; PostgreSQL and MariaDB read the
     * {@code (column, position)} index of an equality in position order and stop at the limit.
     */
    String logFilter(List<String> conditions) {
        return conditions.isEmpty() ? "" : " and " + String.join(" and ", conditions);
    }

    /** The platform of a Hibernate dialect. */
    static DatabasePlatform of(Dialect dialect) {
        if (dialect instanceof PostgreSQLDialect) {
            return POSTGRESQL;
        }
        if (dialect instanceof MariaDBDialect || dialect instanceof MySQLDialect) {
            return MARIADB;
        }
        return STANDARD;
    }

    /** The platform of a database product name, as JDBC metadata gives it. */
    static DatabasePlatform of(String databaseProductName) {
        String product = databaseProductName.toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        return STANDARD;
    }

    /** The product name Spring's error code translation knows this database by. */
    String productName() {
        return productName;
    }

    /**
     * Creates a stream row unless one with its id exists, and never fails because it exists: binds id,
     * tenant, stream uuid, name, category, versioned and version, then the id again when
     * {@link #bindsIdAgain()}. Used before a locking read of the row.
     */
    String createStreamIfAbsent() {
        return createStreamIfAbsent;
    }

    /**
     * Inserts a stream row unless one with its id exists; the update count tells which happened. Binds as
     * {@link #createStreamIfAbsent()}.
     */
    String insertStreamIfAbsent() {
        return createStreamIfAbsent;
    }

    /** Whether the stream row statements take the row id a second time, as their eighth parameter. */
    boolean bindsIdAgain() {
        return false;
    }

    /**
     * Stores a snapshot, replacing one of the same stream and version: binds stream row id, version, tenant,
     * snapshot id, type, schema version, payload, context and creation time.
     */
    String saveSnapshot() {
        return saveSnapshot;
    }

    /**
     * Deletes a stream's events and records each of them in {@code es_deleted}, in the same statement (on
     * MariaDB, by the schema's trigger), for the log sequencer to remove from the log: binds stream row id and
     * tenant. The delete touches no row of the log's own tables, which only numbering passes write, so a
     * transaction holding it open holds up no pass; and it records exactly the events it deletes, at every
     * isolation level, also those committed after the transaction's snapshot.
     */
    abstract String deleteEvents();

    /**
     * What follows a select of the events to find those whose {@code column} is one of {@code count} keys,
     * bound by {@link #bindKeys}: each database looks them up on their key only when given the list its own way.
     */
    abstract String keysClause(String column, int count);

    /** Binds the keys of a {@link #keysClause}. */
    abstract void bindKeys(Connection connection, PreparedStatement statement, int index, List<Long> keys)
            throws SQLException;

    /** The append in one round trip on this database. */
    AppendStatement appendStatement() {
        return switch (this) {
            case POSTGRESQL -> new PostgresAppendStatement();
            case MARIADB -> new MariaDbAppendStatement();
            case STANDARD -> new H2AppendStatement();
        };
    }

    /**
     * Deletes the rows of a log table ({@code es_pending}, {@code es_log}, {@code es_deleted}) of the given
     * events. Row by row on the key, in one batch, unless the database takes the list on its key: a statement
     * with an {@code in} list that a database ran as a scan of the table would lock, or wait for, other rows.
     */
    void deleteByKeys(Connection connection, String table, List<Long> seqs) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("delete from " + table + " where seq = ?")) {
            for (long seq : seqs) {
                statement.setLong(1, seq);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Binds JSON text to a JSON column parameter. */
    void bindJson(PreparedStatement statement, int index, String json) throws SQLException {
        statement.setString(index, json);
    }

    /** Binds a UUID. */
    void bindUuid(PreparedStatement statement, int index, UUID uuid) throws SQLException {
        statement.setObject(index, uuid);
    }

    /** Reads a UUID. */
    UUID uuid(ResultSet row, int index) throws SQLException {
        return row.getObject(index, UUID.class);
    }

    /** Binds an instant, to the microsecond. */
    void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** Reads an instant. */
    Instant instant(ResultSet row, int index) throws SQLException {
        return row.getObject(index, OffsetDateTime.class).toInstant();
    }
}

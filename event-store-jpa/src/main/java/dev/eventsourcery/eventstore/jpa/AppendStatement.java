package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.storage.EventRecord;

/**
 * An append in one round trip: the statement that moves the stream row (compare-and-set, create, or lock
 * and advance), inserts the events after it and records them as pending for the log, and does nothing at
 * all when the stream row does not admit the append. It says how many events it inserted: all of them, or
 * none; the store then finds out why (a conflict, a versioning rule, a retry of a stored append).
 *
 * <p>One implementation per database, as their SQL differs: PostgreSQL chains the steps in a
 * data-modifying common table expression, H2 nests data change delta tables, MariaDB sends two statements
 * in one round trip (the second guarded by {@code row_count()}) when the connection allows several.
 */
abstract class AppendStatement {

    final DatabasePlatform platform;

    AppendStatement(DatabasePlatform platform) {
        this.platform = platform;
    }

    /**
     * Appends, in one round trip where the database allows.
     *
     * @param standalone whether no transaction surrounds the call: the connection is in autocommit mode, and
     *     the append must be atomic on its own
     * @return the number of events inserted: all of them, or 0 when the stream row did not admit the append
     */
    abstract int append(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId, Versioning versioning,
            List<EventRecord> events, boolean standalone) throws SQLException;

    /**
     * Inserts events into a stream whose row this transaction has already advanced (or locked), and records
     * them as pending for the log: for an append too large for one statement. Each statement holds at most
     * {@code rowsPerStatement} events, as multi-row statements: never as a JDBC batch, which MariaDB's driver
     * sends as a bulk execution that has crashed the MariaDB 10.11 server on a table whose key defaults to a
     * sequence.
     *
     * @param base the version the events follow; {@code null} in a versionless stream
     * @return the number of events inserted
     */
    abstract int insertAfter(Connection connection, UUID rowId, TenantId tenantId, @Nullable Long base,
            List<EventRecord> events, int rowsPerStatement) throws SQLException;

    /** Binds a version the events follow, or null for a versionless stream. */
    static void bindBase(PreparedStatement statement, int index, @Nullable Long base) throws SQLException {
        if (base == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, base);
        }
    }

    /** Binds the columns of a new stream row from {@code index}: id, tenant, stream uuid, name, category. */
    int bindStream(PreparedStatement statement, int index, UUID rowId, TenantId tenantId, StreamId streamId)
            throws SQLException {
        platform.bindUuid(statement, index++, rowId);
        statement.setString(index++, tenantId.value());
        platform.bindUuid(statement, index++, streamId.uuid());
        if (streamId.name() == null) {
            statement.setNull(index++, Types.VARCHAR);
        } else {
            statement.setString(index++, streamId.name());
        }
        statement.setString(index++, StreamKeys.category(streamId));
        return index;
    }

    /** Binds an event's columns from {@code index}: id, type, schema version, payload, context, creation time. */
    int bindEvent(PreparedStatement statement, int index, EventRecord event) throws SQLException {
        platform.bindUuid(statement, index++, event.uuid());
        statement.setString(index++, event.type());
        statement.setInt(index++, event.schemaVersion());
        platform.bindJson(statement, index++, event.payload());
        platform.bindJson(statement, index++, event.context());
        platform.bindInstant(statement, index++, event.createdAt());
        return index;
    }
}

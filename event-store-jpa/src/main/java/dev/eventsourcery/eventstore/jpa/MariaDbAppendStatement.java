package dev.eventsourcery.eventstore.jpa;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.storage.EventRecord;

/**
 * An append on MariaDB, which has no data-modifying common table expressions: the statement on the stream
 * row, then the insert of the events (the schema's trigger records them as pending), which inserts nothing
 * unless the first changed the row ({@code row_count() = 1}) or the row admits the append. When the
 * connection allows several statements in one text ({@code allowMultiQueries=true} in the JDBC URL), both
 * go in one round trip, inside {@code start transaction … commit} when no transaction surrounds the call;
 * otherwise they are two round trips in a transaction.
 */
final class MariaDbAppendStatement extends AppendStatement {

    private static final System.Logger LOGGER = System.getLogger(MariaDbAppendStatement.class.getName());

    private static final String EVENT_COLUMNS = "insert into es_event (stream_id, tenant_id, version, event_uuid, "
            + "event_type, schema_version, payload, context, created_at) ";
    private static final String NEW_STREAM = "into es_stream (id, tenant_id, stream_uuid, name, category, versioned, "
            + "version) values (?, ?, ?, ?, ?, ";

    private volatile Boolean severalStatements;

    MariaDbAppendStatement() {
        super(DatabasePlatform.MARIADB);
    }

    @Override
    int append(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId, Versioning versioning,
            List<EventRecord> events, boolean standalone) throws SQLException {
        if (allowsSeveralStatements(connection)) {
            return inOneRoundTrip(connection, rowId, tenantId, streamId, versioning, events, standalone);
        }
        if (!standalone) {
            return inTwoRoundTrips(connection, rowId, tenantId, streamId, versioning, events);
        }
        connection.setAutoCommit(false);
        try {
            int inserted = inTwoRoundTrips(connection, rowId, tenantId, streamId, versioning, events);
            connection.commit();
            return inserted;
        } catch (SQLException | RuntimeException e) {
            rollBack(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private int inOneRoundTrip(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId,
            Versioning versioning, List<EventRecord> events, boolean standalone) throws SQLException {
        String sql = (standalone ? "start transaction; " : "") + streamStep(versioning) + "; "
                + insertEvents(versioning, events.size()) + (standalone ? "; commit" : "");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = bindStreamStep(statement, 1, rowId, tenantId, streamId, versioning, events.size());
            bindEvents(statement, index, rowId, tenantId, versioning, events);
            statement.execute();
            if (standalone) {
                statement.getMoreResults();
            }
            statement.getMoreResults();
            return statement.getUpdateCount();
        } catch (SQLException | RuntimeException e) {
            if (standalone) {
                // the statements after the failing one did not run: the transaction they began is still open
                try (Statement rollback = connection.createStatement()) {
                    rollback.execute("rollback");
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw e;
        }
    }

    private int inTwoRoundTrips(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId,
            Versioning versioning, List<EventRecord> events) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(streamStep(versioning))) {
            bindStreamStep(statement, 1, rowId, tenantId, streamId, versioning, events.size());
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement(insertEvents(versioning, events.size()))) {
            bindEvents(statement, 1, rowId, tenantId, versioning, events);
            return statement.executeUpdate();
        }
    }

    @Override
    int insertAfter(Connection connection, UUID rowId, TenantId tenantId, @Nullable Long base, List<EventRecord> events,
            int rowsPerStatement) throws SQLException {
        int inserted = 0;
        for (int from = 0; from < events.size(); from += rowsPerStatement) {
            List<EventRecord> chunk = events.subList(from, Math.min(events.size(), from + rowsPerStatement));
            try (PreparedStatement statement = connection.prepareStatement(EVENT_COLUMNS + "select ?, ?, ? + v.ord, "
                    + "v.event_uuid, v.event_type, v.schema_version, v.payload, v.context, v.created_at from ("
                    + rows(chunk.size()) + ") v order by v.ord")) {
                platform.bindUuid(statement, 1, rowId);
                statement.setString(2, tenantId.value());
                bindBase(statement, 3, base == null ? null : base + from);
                int index = 4;
                for (int i = 0; i < chunk.size(); i++) {
                    statement.setInt(index++, i + 1);
                    index = bindEvent(statement, index, chunk.get(i));
                }
                inserted += statement.executeUpdate();
            }
        }
        return inserted;
    }

    /** Whether the connection accepts several statements in one text; asked once. */
    private boolean allowsSeveralStatements(Connection connection) {
        Boolean allowed = severalStatements;
        if (allowed == null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("select 1; select 1");
                allowed = true;
            } catch (SQLException e) {
                allowed = false;
                LOGGER.log(Level.INFO, "The MariaDB connection accepts one statement per round trip, so an append "
                        + "takes two; add allowMultiQueries=true to the JDBC URL to send them in one");
            }
            severalStatements = allowed;
        }
        return allowed;
    }

    /** The statement on the stream row; the events follow when it changed the row, or the row admits them. */
    private static String streamStep(Versioning versioning) {
        if (versioning instanceof Versioning.Expected expected) {
            return expected.version() == 0 ? "insert ignore " + NEW_STREAM + "true, ?)"
                    : "update es_stream set version = ? where id = ? and tenant_id = ? and versioned = true "
                            + "and version = ?";
        }
        if (versioning instanceof Versioning.NoVersioning) {
            return "insert " + NEW_STREAM + "false, 0) on duplicate key update version = version";
        }
        return "insert " + NEW_STREAM + "true, ?) on duplicate key update "
                + "version = if(versioned, version + values(version), version)";
    }

    private int bindStreamStep(PreparedStatement statement, int index, UUID rowId, TenantId tenantId,
            StreamId streamId, Versioning versioning, int count) throws SQLException {
        if (versioning instanceof Versioning.Expected expected && expected.version() > 0) {
            statement.setLong(index++, expected.version() + count);
            platform.bindUuid(statement, index++, rowId);
            statement.setString(index++, tenantId.value());
            statement.setLong(index++, expected.version());
            return index;
        }
        index = bindStream(statement, index, rowId, tenantId, streamId);
        if (!(versioning instanceof Versioning.NoVersioning)) {
            statement.setLong(index++, count);
        }
        return index;
    }

    /**
     * The insert of the events: after an expected version, only if the stream step changed the row; otherwise
     * from the locked stream row, only if it is versioned (or versionless) as the append requires.
     */
    private static String insertEvents(Versioning versioning, int count) {
        String rows = rows(count);
        if (versioning instanceof Versioning.Expected) {
            return EVENT_COLUMNS + "select ?, ?, ? + v.ord, v.event_uuid, v.event_type, v.schema_version, v.payload, "
                    + "v.context, v.created_at from (" + rows + ") v where row_count() = 1 order by v.ord";
        }
        boolean versioned = !(versioning instanceof Versioning.NoVersioning);
        return EVENT_COLUMNS + "select s.id, s.tenant_id, " + (versioned ? "s.version - ? + v.ord" : "null")
                + ", v.event_uuid, v.event_type, v.schema_version, v.payload, v.context, v.created_at "
                + "from es_stream s join (" + rows + ") v where s.id = ? and s.versioned = " + versioned
                + " order by v.ord";
    }

    /** The events as a derived table {@code v(ord, event_uuid, event_type, schema_version, payload, context, created_at)}. */
    private static String rows(int count) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < count; i++) {
            rows.append(i == 0 ? "select ? ord, ? event_uuid, ? event_type, ? schema_version, ? payload, ? context, "
                    + "? created_at" : " union all select ?, ?, ?, ?, ?, ?, ?");
        }
        return rows.toString();
    }

    private void bindEvents(PreparedStatement statement, int index, UUID rowId, TenantId tenantId,
            Versioning versioning, List<EventRecord> events) throws SQLException {
        if (versioning instanceof Versioning.Expected expected) {
            platform.bindUuid(statement, index++, rowId);
            statement.setString(index++, tenantId.value());
            statement.setLong(index++, expected.version());
        } else if (!(versioning instanceof Versioning.NoVersioning)) {
            statement.setLong(index++, events.size());
        }
        for (int i = 0; i < events.size(); i++) {
            statement.setInt(index++, i + 1);
            index = bindEvent(statement, index, events.get(i));
        }
        if (!(versioning instanceof Versioning.Expected)) {
            platform.bindUuid(statement, index, rowId);
        }
    }

    private static void rollBack(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            failure.addSuppressed(rollback);
        }
    }
}

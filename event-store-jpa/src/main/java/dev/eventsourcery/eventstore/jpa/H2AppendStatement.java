package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.storage.EventRecord;
import dev.eventsourcery.eventstore.storage.StreamState;

/**
 * An append on H2 as one statement: the step on the stream row (an update, a guarded insert or a merge)
 * is a data change delta table, {@code final table (…)}, that the insert of the events selects from, and
 * that insert is itself the delta table the pending rows are selected from. A stream step that changes no
 * row inserts nothing. Two writers creating one stream at once make the later one fail with a duplicate
 * key of the stream row after the earlier committed; H2 keeps the transaction usable, so a merge is simply
 * run again, and a creation with an expected version counts as a lost compare-and-set.
 */
final class H2AppendStatement extends AppendStatement {

    /** An event of the {@code values} list; its ordinal typed, so that the rows sort as numbers, not as text. */
    private static final String ROW = "(cast(? as integer), cast(? as uuid), cast(? as varchar), cast(? as integer), "
            + "cast(? as varchar) format json, cast(? as varchar) format json, cast(? as timestamp(6) with time zone))";

    H2AppendStatement() {
        super(DatabasePlatform.STANDARD);
    }

    @Override
    int append(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId, Versioning versioning,
            List<EventRecord> events, boolean standalone) throws SQLException {
        boolean versioned = StreamState.storesVersions(versioning);
        String sql = "insert into es_pending (seq) select seq from final table (insert into es_event (stream_id, "
                + "tenant_id, version, event_uuid, event_type, schema_version, payload, context, created_at) "
                + "select s.id, ?, " + (versioned ? "s.version - ? + v.ord" : "cast(null as bigint)")
                + ", v.event_uuid, v.event_type, v.schema_version, v.payload, v.context, v.created_at "
                + "from final table (" + streamStep(versioning) + ") s cross join (values "
                + String.join(", ", Collections.nCopies(events.size(), ROW)) + ") v(ord, event_uuid, event_type, "
                + "schema_version, payload, context, created_at) order by v.ord)";
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, tenantId.value());
                int index = 2;
                if (versioned) {
                    statement.setLong(index++, events.size());
                }
                index = bindStreamStep(statement, index, rowId, tenantId, streamId, versioning, events.size());
                bindRows(statement, index, events);
                return statement.executeUpdate();
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState()) || anyStored(connection, events)) {
                    throw e;
                }
                // the stream row's key: another writer created the stream first. A compare-and-set against a
                // new stream simply lost; a merge finds the row now
                if (versioning instanceof Versioning.Expected || attempt == 3) {
                    return 0;
                }
            }
        }
    }

    @Override
    int insertAfter(Connection connection, UUID rowId, TenantId tenantId, @Nullable Long base, List<EventRecord> events,
            int rowsPerStatement) throws SQLException {
        int inserted = 0;
        for (int from = 0; from < events.size(); from += rowsPerStatement) {
            List<EventRecord> chunk = events.subList(from, Math.min(events.size(), from + rowsPerStatement));
            try (PreparedStatement statement = connection.prepareStatement("insert into es_pending (seq) select seq "
                    + "from final table (insert into es_event (stream_id, tenant_id, version, event_uuid, event_type, "
                    + "schema_version, payload, context, created_at) select cast(? as uuid), cast(? as varchar), "
                    + "cast(? as bigint) + v.ord, v.event_uuid, v.event_type, v.schema_version, v.payload, v.context, "
                    + "v.created_at from (values " + String.join(", ", Collections.nCopies(chunk.size(), ROW)) + ") "
                    + "v(ord, event_uuid, event_type, schema_version, payload, context, created_at) order by v.ord)")) {
                platform.bindUuid(statement, 1, rowId);
                statement.setString(2, tenantId.value());
                bindBase(statement, 3, base == null ? null : base + from);
                bindRows(statement, 4, chunk);
                inserted += statement.executeUpdate();
            }
        }
        return inserted;
    }

    /** Binds the events of the {@code values} list from {@code index}; returns the index after them. */
    private int bindRows(PreparedStatement statement, int index, List<EventRecord> events) throws SQLException {
        for (int i = 0; i < events.size(); i++) {
            EventRecord event = events.get(i);
            statement.setInt(index++, i + 1);
            statement.setString(index++, event.uuid().toString());
            statement.setString(index++, event.type());
            statement.setInt(index++, event.schemaVersion());
            statement.setString(index++, event.payload());
            statement.setString(index++, event.context());
            platform.bindInstant(statement, index++, event.createdAt());
        }
        return index;
    }

    /** Whether any of the events is stored already: a duplicate key of an event, not of the stream row. */
    private boolean anyStored(Connection connection, List<EventRecord> events) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select count(*) from es_event where "
                + "event_uuid in (" + String.join(", ", Collections.nCopies(events.size(), "?")) + ")")) {
            for (int i = 0; i < events.size(); i++) {
                platform.bindUuid(statement, i + 1, events.get(i).uuid());
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1) > 0;
            }
        }
    }

    /**
     * The statement on the stream row, whose changed rows the events are selected from: none when the stream
     * does not admit the append. The row it returns holds the version after the append.
     */
    private static String streamStep(Versioning versioning) {
        if (versioning instanceof Versioning.Expected expected) {
            return expected.version() == 0
                    ? "insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
                            + "select ?, ?, ?, ?, ?, true, ? where not exists (select 1 from es_stream where id = ?)"
                    : "update es_stream set version = ? where id = ? and tenant_id = ? and versioned and version = ?";
        }
        boolean versioned = !(versioning instanceof Versioning.NoVersioning);
        return "merge into es_stream t using (select cast(? as uuid) id, cast(? as varchar) tenant_id, "
                + "cast(? as uuid) stream_uuid, cast(? as varchar) name, cast(? as varchar) category) x on t.id = x.id "
                + "when matched and t.versioned = " + versioned + " then update set version = t.version + ? "
                + "when not matched then insert (id, tenant_id, stream_uuid, name, category, versioned, version) "
                + "values (x.id, x.tenant_id, x.stream_uuid, x.name, x.category, " + versioned + ", ?)";
    }

    private int bindStreamStep(PreparedStatement statement, int index, UUID rowId, TenantId tenantId, StreamId streamId,
            Versioning versioning, int count) throws SQLException {
        if (versioning instanceof Versioning.Expected expected) {
            if (expected.version() == 0) {
                index = bindStream(statement, index, rowId, tenantId, streamId);
                statement.setLong(index++, count);
                platform.bindUuid(statement, index++, rowId);
                return index;
            }
            statement.setLong(index++, expected.version() + count);
            platform.bindUuid(statement, index++, rowId);
            statement.setString(index++, tenantId.value());
            statement.setLong(index++, expected.version());
            return index;
        }
        boolean versioned = !(versioning instanceof Versioning.NoVersioning);
        index = bindStream(statement, index, rowId, tenantId, streamId);
        statement.setLong(index++, versioned ? count : 0);
        statement.setLong(index++, versioned ? count : 0);
        return index;
    }
}

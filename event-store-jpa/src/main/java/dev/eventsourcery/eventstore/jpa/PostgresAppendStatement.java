package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.storage.EventRecord;

/**
 * An append on PostgreSQL as one statement: a data-modifying common table expression moves the stream row
 * and returns the version the events follow, inserts the events after it (several as arrays, unnested in
 * their order), and records them as pending. The stream step returns no row when the stream does not
 * admit the append, and then nothing is inserted. One statement is atomic on its own, so outside a
 * transaction it runs in autocommit mode: one round trip, commit included.
 */
final class PostgresAppendStatement extends AppendStatement {

    private static final String EVENT_COLUMNS = "insert into es_event (stream_id, tenant_id, version, event_uuid, "
            + "event_type, schema_version, payload, context, created_at) ";
    private static final String ONE_EVENT = EVENT_COLUMNS
            + "select s.id, ?, s.base + 1, ?, ?, ?, ?, ?, ? from s returning seq";
    private static final String EVENTS = EVENT_COLUMNS + "select s.id, ?, s.base + v.ord, v.event_uuid, v.event_type, "
            + "v.schema_version, v.payload::json, v.context::json, v.created_at from s cross join unnest(?::uuid[], "
            + "?::varchar[], ?::int[], ?::text[], ?::text[], ?::timestamptz[]) with ordinality as v(event_uuid, "
            + "event_type, schema_version, payload, context, created_at, ord) order by v.ord returning seq";
    private static final String EVENTS_AFTER = "with e as (" + EVENT_COLUMNS + "select ?, ?, ?::bigint + v.ord, "
            + "v.event_uuid, v.event_type, v.schema_version, v.payload::json, v.context::json, v.created_at from "
            + "unnest(?::uuid[], ?::varchar[], ?::int[], ?::text[], ?::text[], ?::timestamptz[]) with ordinality as "
            + "v(event_uuid, event_type, schema_version, payload, context, created_at, ord) order by v.ord returning seq"
            + ") insert into es_pending (seq) select seq from e";
    private static final String NEW_STREAM = "insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, "
            + "version) values (?, ?, ?, ?, ?, ";
    private static final String PENDING = ") insert into es_pending (seq) select seq from e";

    /** Exact to the microsecond, as the column keeps it. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    PostgresAppendStatement() {
        super(DatabasePlatform.POSTGRESQL);
    }

    @Override
    int append(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId, Versioning versioning,
            List<EventRecord> events, boolean standalone) throws SQLException {
        String sql = "with s as (" + streamStep(versioning) + "), e as (" + (events.size() == 1 ? ONE_EVENT : EVENTS)
                + PENDING;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = bindStreamStep(statement, rowId, tenantId, streamId, versioning, events.size());
            statement.setString(index++, tenantId.value());
            if (events.size() == 1) {
                bindEvent(statement, index, events.get(0));
            } else {
                bindEvents(connection, statement, index, events);
            }
            return statement.executeUpdate();
        }
    }

    /** All the events in one statement, whatever their number: they travel as arrays, one parameter each. */
    @Override
    int insertAfter(Connection connection, UUID rowId, TenantId tenantId, @Nullable Long base, List<EventRecord> events,
            int rowsPerStatement) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(EVENTS_AFTER)) {
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            bindBase(statement, 3, base);
            bindEvents(connection, statement, 4, events);
            return statement.executeUpdate();
        }
    }

    /** The step on the stream row: returns its id and the version the events follow, or no row. */
    private static String streamStep(Versioning versioning) {
        if (versioning instanceof Versioning.Expected expected) {
            return expected.version() == 0
                    ? NEW_STREAM + "true, ?) on conflict do nothing returning id, 0::bigint as base"
                    : "update es_stream set version = ? where id = ? and tenant_id = ? and versioned "
                            + "and version = ? returning id, ?::bigint as base";
        }
        if (versioning instanceof Versioning.NoVersioning) {
            // a no-op update that locks the row, so that appends to one stream keep their order
            return NEW_STREAM + "false, 0) on conflict (id) do update set version = es_stream.version "
                    + "where not es_stream.versioned returning id, null::bigint as base";
        }
        return NEW_STREAM + "true, ?) on conflict (id) do update set version = es_stream.version + excluded.version "
                + "where es_stream.versioned returning id, version - ? as base";
    }

    private int bindStreamStep(PreparedStatement statement, UUID rowId, TenantId tenantId, StreamId streamId,
            Versioning versioning, int count) throws SQLException {
        if (versioning instanceof Versioning.Expected expected && expected.version() > 0) {
            statement.setLong(1, expected.version() + count);
            platform.bindUuid(statement, 2, rowId);
            statement.setString(3, tenantId.value());
            statement.setLong(4, expected.version());
            statement.setLong(5, expected.version());
            return 6;
        }
        int index = bindStream(statement, 1, rowId, tenantId, streamId);
        if (versioning instanceof Versioning.Expected) {
            statement.setLong(index++, count);
        } else if (!(versioning instanceof Versioning.NoVersioning)) {
            statement.setLong(index++, count);
            statement.setLong(index++, count);
        }
        return index;
    }

    private static void bindEvents(Connection connection, PreparedStatement statement, int index,
            List<EventRecord> events) throws SQLException {
        int count = events.size();
        String[] uuids = new String[count];
        String[] types = new String[count];
        Integer[] schemaVersions = new Integer[count];
        String[] payloads = new String[count];
        String[] contexts = new String[count];
        String[] times = new String[count];
        for (int i = 0; i < count; i++) {
            EventRecord event = events.get(i);
            uuids[i] = event.uuid().toString();
            types[i] = event.type();
            schemaVersions[i] = event.schemaVersion();
            payloads[i] = event.payload();
            contexts[i] = event.context();
            times[i] = TIMESTAMP.format(event.createdAt().atOffset(ZoneOffset.UTC));
        }
        statement.setArray(index++, connection.createArrayOf("uuid", uuids));
        statement.setArray(index++, connection.createArrayOf("varchar", types));
        statement.setArray(index++, connection.createArrayOf("int4", schemaVersions));
        statement.setArray(index++, connection.createArrayOf("text", payloads));
        statement.setArray(index++, connection.createArrayOf("text", contexts));
        statement.setArray(index, connection.createArrayOf("timestamptz", times));
    }
}

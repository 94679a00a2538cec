package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.storage.EventRecord;

/**
 * The statements on event rows ({@code es_event}): inserting an append's events in JDBC batches, reading
 * a stream's events, finding where retried events are stored, and deleting a stream's events.
 */
final class EventRows {

    private static final String READ = "select version, event_uuid, event_type, schema_version, payload, context, "
            + "created_at from es_event where stream_id = ? and tenant_id = ? "
            + "and (version is null or (version >= ? and version < ?)) order by version, seq";
    private static final String DELETE = "delete from es_event where stream_id = ? and tenant_id = ?";

    private final DatabasePlatform platform;
    private final DatabaseErrors errors;
    private final int batchSize;
    private final int fetchSize;

    EventRows(DatabasePlatform platform, DatabaseErrors errors, int batchSize, int fetchSize) {
        this.platform = platform;
        this.errors = errors;
        this.batchSize = batchSize;
        this.fetchSize = fetchSize;
    }

    /**
     * Inserts an append's events into a stream whose row this transaction has locked or advanced, so no
     * other writer can store these versions: a duplicate key here is an event id that is already stored.
     * Each event is recorded as pending in the same statement, for the log sequencer to number once it
     * commits.
     *
     * @param base the version the events follow; {@code null} for a versionless stream
     * @throws DuplicateEventException when an event id is already stored
     */
    void insert(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId, List<EventRecord> events,
            @Nullable Long base) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(platform.insertEvent())) {
            int pending = 0;
            for (int i = 0; i < events.size(); i++) {
                EventRecord event = events.get(i);
                platform.bindUuid(statement, 1, rowId);
                statement.setString(2, tenantId.value());
                if (base == null) {
                    statement.setNull(3, Types.BIGINT);
                } else {
                    statement.setLong(3, base + i + 1);
                }
                platform.bindUuid(statement, 4, event.uuid());
                statement.setString(5, event.type());
                statement.setInt(6, event.schemaVersion());
                platform.bindJson(statement, 7, event.payload());
                platform.bindJson(statement, 8, event.context());
                platform.bindInstant(statement, 9, event.createdAt());
                if (events.size() == 1) {
                    statement.executeUpdate();
                    return;
                }
                statement.addBatch();
                if (++pending == batchSize) {
                    statement.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                statement.executeBatch();
            }
        } catch (SQLException e) {
            if (errors.isDuplicateKey(e)) {
                throw new DuplicateEventException("An event appended to stream " + streamId + " in " + tenantId
                        + " has an id that is already stored; nothing was written", e);
            }
            throw e;
        }
    }

    /** The events of a stream with versions in {@code [from, to)}, and all of a versionless stream, in stream order. */
    List<EventRecord> read(Connection connection, UUID rowId, TenantId tenantId, long from, long to)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setFetchSize(fetchSize);
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            statement.setLong(3, from);
            statement.setLong(4, to);
            List<EventRecord> events = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    long stored = row.getLong(1);
                    Long version = row.wasNull() ? null : stored;
                    events.add(new EventRecord(platform.uuid(row, 2), version, row.getString(3), row.getInt(4),
                            row.getString(5), row.getString(6), platform.instant(row, 7)));
                }
            }
            return events;
        }
    }

    /** Where those of the given events that are stored in the stream are, by version: asked only on a conflict. */
    Map<UUID, Long> storedVersions(Connection connection, UUID rowId, TenantId tenantId, Collection<UUID> eventIds)
            throws SQLException {
        String ids = String.join(", ", Collections.nCopies(eventIds.size(), "?"));
        try (PreparedStatement statement = connection.prepareStatement("select event_uuid, version from es_event "
                + "where stream_id = ? and tenant_id = ? and version is not null and event_uuid in (" + ids + ")")) {
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            int index = 3;
            for (UUID id : eventIds) {
                platform.bindUuid(statement, index++, id);
            }
            Map<UUID, Long> versions = new HashMap<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    versions.put(platform.uuid(row, 1), row.getLong(2));
                }
            }
            return versions;
        }
    }

    /** Removes a stream's events. */
    void delete(Connection connection, UUID rowId, TenantId tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            statement.executeUpdate();
        }
    }
}

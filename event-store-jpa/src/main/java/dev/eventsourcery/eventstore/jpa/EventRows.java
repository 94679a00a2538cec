package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;


import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.storage.EventRecord;

/**
 * The statements on event rows ({@code es_event}) besides the appends' own: reading a stream's events,
 * finding where retried events are stored, and deleting a stream's events.
 */
final class EventRows {

    private static final String READ = "select version, event_uuid, event_type, schema_version, payload, context, "
            + "created_at from es_event where stream_id = ? and tenant_id = ? "
            + "and (version is null or (version >= ? and version < ?)) order by version, seq";

    private static final String SEQS = "select seq from es_event where stream_id = ? and tenant_id = ?";

    private final DatabasePlatform platform;
    private final int fetchSize;

    EventRows(DatabasePlatform platform, int fetchSize) {
        this.platform = platform;
        this.fetchSize = fetchSize;
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

    /** The ids of a stream's events this connection sees. */
    Set<Long> seqs(Connection connection, UUID rowId, TenantId tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SEQS)) {
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            Set<Long> seqs = new HashSet<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    seqs.add(row.getLong(1));
                }
            }
            return seqs;
        }
    }

    /**
     * Removes a stream's events and records them for the log sequencer, which removes them from the log: see
     * {@link DatabasePlatform#deleteEvents()}.
     */
    void delete(Connection connection, UUID rowId, TenantId tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(platform.deleteEvents())) {
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            statement.executeUpdate();
        }
    }
}

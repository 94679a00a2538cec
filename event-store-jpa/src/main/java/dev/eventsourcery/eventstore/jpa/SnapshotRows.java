package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.storage.EventRecord;

/** The statements on snapshot rows ({@code es_snapshot}): storing one, finding the latest in a range, deleting. */
final class SnapshotRows {

    private static final String LATEST = "select version, snapshot_uuid, event_type, schema_version, payload, context, "
            + "created_at "
            + "from es_snapshot where stream_id = ? and tenant_id = ? and version >= ? and version < ? "
            + "order by version desc";
    private static final String DELETE = "delete from es_snapshot where stream_id = ? and tenant_id = ?";

    private final DatabasePlatform platform;

    SnapshotRows(DatabasePlatform platform) {
        this.platform = platform;
    }

    /** Stores a snapshot of a stream whose row this transaction has locked, replacing one of the same version. */
    void save(Connection connection, UUID rowId, TenantId tenantId, EventRecord snapshot) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(platform.saveSnapshot())) {
            platform.bindUuid(statement, 1, rowId);
            statement.setLong(2, snapshot.version());
            statement.setString(3, tenantId.value());
            platform.bindUuid(statement, 4, snapshot.uuid());
            statement.setString(5, snapshot.type());
            statement.setInt(6, snapshot.schemaVersion());
            platform.bindJson(statement, 7, snapshot.payload());
            platform.bindJson(statement, 8, snapshot.context());
            platform.bindInstant(statement, 9, snapshot.createdAt());
            statement.executeUpdate();
        }
    }

    /** The latest snapshot of a stream with a version in {@code [from, to)}, if any. */
    @Nullable EventRecord latest(Connection connection, UUID rowId, TenantId tenantId, long from, long to)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LATEST)) {
            statement.setMaxRows(1);
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            statement.setLong(3, from);
            statement.setLong(4, to);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new EventRecord(platform.uuid(row, 2), row.getLong(1), row.getString(3), row.getInt(4),
                        row.getString(5), row.getString(6), platform.instant(row, 7));
            }
        }
    }

    /** Removes a stream's snapshots. */
    void delete(Connection connection, UUID rowId, TenantId tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            statement.executeUpdate();
        }
    }
}

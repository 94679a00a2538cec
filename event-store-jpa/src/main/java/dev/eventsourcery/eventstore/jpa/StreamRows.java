package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.storage.StreamState;

/**
 * The statements on a stream's row ({@code es_stream}): its state, the compare-and-set of its version,
 * and creating it. Every statement addresses the row by its primary key and its tenant; no index starts
 * with the tenant column, so the database cannot prefer a tenant index over the primary key, whatever
 * its statistics say.
 */
final class StreamRows {

    private static final String STATE = "select versioned, version from es_stream where id = ? and tenant_id = ?";
    private static final String COMPARE_AND_SET = "update es_stream set version = ? "
            + "where id = ? and tenant_id = ? and versioned = ? and version = ?";
    private static final String SET_VERSION = "update es_stream set version = ? where id = ? and tenant_id = ?";
    private static final String DELETE = "delete from es_stream where id = ? and tenant_id = ?";

    private final DatabasePlatform platform;
    private final DatabaseErrors errors;

    StreamRows(DatabasePlatform platform, DatabaseErrors errors) {
        this.platform = platform;
        this.errors = errors;
    }

    /** The stream's state; {@code lock} takes the row's write lock until the transaction ends. */
    StreamState state(Connection connection, UUID rowId, TenantId tenantId, boolean lock) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lock ? STATE + " for update" : STATE)) {
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return StreamState.absent();
                }
                return row.getBoolean(1) ? StreamState.versionedAt(row.getLong(2)) : StreamState.versionless();
            }
        }
    }

    /**
     * Locks the stream's row, creating it first (at version 0, versioned or not) when it does not exist, and
     * returns its state. Writers that create one stream at once all succeed, one after the other: the
     * creation never fails because the row exists or is being created, and a writer that did not create it
     * waits for the one that did. A row that a concurrent delete removes between the creation and the lock
     * is created again.
     */
    StreamState lockCreatingIfAbsent(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId,
            boolean versioned) throws SQLException {
        while (true) {
            try (PreparedStatement statement = connection.prepareStatement(platform.createStreamIfAbsent())) {
                bindNewRow(statement, rowId, tenantId, streamId, versioned, 0);
                statement.executeUpdate();
            } catch (SQLException e) {
                // only the guarded insert of H2 can fail so, after the writer that created the row committed
                if (!errors.isDuplicateKey(e)) {
                    throw e;
                }
            }
            StreamState state = state(connection, rowId, tenantId, true);
            if (state.exists()) {
                return state;
            }
        }
    }

    /** Moves a versioned stream from {@code expected} to {@code target}; false when it is not at {@code expected}. */
    boolean compareAndSet(Connection connection, UUID rowId, TenantId tenantId, long expected, long target)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(COMPARE_AND_SET)) {
            statement.setLong(1, target);
            platform.bindUuid(statement, 2, rowId);
            statement.setString(3, tenantId.value());
            statement.setBoolean(4, true);
            statement.setLong(5, expected);
            return statement.executeUpdate() == 1;
        }
    }

    /** Sets the version of a stream whose row this transaction has locked. */
    void setVersion(Connection connection, UUID rowId, TenantId tenantId, long version) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_VERSION)) {
            statement.setLong(1, version);
            platform.bindUuid(statement, 2, rowId);
            statement.setString(3, tenantId.value());
            statement.executeUpdate();
        }
    }

    /** Creates the stream's row unless it exists; false when it existed (or was created concurrently). */
    boolean insertIfAbsent(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId, boolean versioned,
            long version) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(platform.insertStreamIfAbsent())) {
            bindNewRow(statement, rowId, tenantId, streamId, versioned, version);
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            if (errors.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Removes the stream's row. */
    void delete(Connection connection, UUID rowId, TenantId tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
            platform.bindUuid(statement, 1, rowId);
            statement.setString(2, tenantId.value());
            statement.executeUpdate();
        }
    }

    private void bindNewRow(PreparedStatement statement, UUID rowId, TenantId tenantId, StreamId streamId,
            boolean versioned, long version) throws SQLException {
        platform.bindUuid(statement, 1, rowId);
        statement.setString(2, tenantId.value());
        platform.bindUuid(statement, 3, streamId.uuid());
        if (streamId.name() == null) {
            statement.setNull(4, Types.VARCHAR);
        } else {
            statement.setString(4, streamId.name());
        }
        statement.setString(5, StreamKeys.category(streamId));
        statement.setBoolean(6, versioned);
        statement.setLong(7, version);
        if (platform.bindsIdAgain()) {
            platform.bindUuid(statement, 8, rowId);
        }
    }
}

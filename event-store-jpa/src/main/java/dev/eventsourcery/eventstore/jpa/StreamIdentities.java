package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventsourcery.eventstore.StreamId;

/**
 * The identities (uuid, name, category) of streams by their row id, for the log's readers: a row id always
 * stands for the same uuid and category, so the identities read once are kept, and a page of the log asks
 * the database only for the streams it has not seen before, instead of joining every event to its stream
 * row. A stream's name is implied by its uuid, so the one kept can differ only in being absent (the stream
 * was created by uuid, later re-created by name, or the reverse), never in value, and the ids stay equal; a
 * stream deleted in this process is forgotten, so that its next creation's name is read again. At most
 * {@value #MOST} identities are kept.
 */
final class StreamIdentities {

    private static final int MOST = 100_000;

    private final DatabasePlatform platform;
    private final Map<UUID, StreamId> known = new ConcurrentHashMap<>();

    StreamIdentities(DatabasePlatform platform) {
        this.platform = platform;
    }

    /**
     * The identities of the given stream rows; a row that no longer exists (its stream was deleted since its
     * events were read) is left out.
     */
    Map<UUID, StreamId> of(Connection connection, Collection<UUID> rowIds) throws SQLException {
        Map<UUID, StreamId> found = new HashMap<>();
        Set<UUID> missing = new LinkedHashSet<>();
        for (UUID rowId : rowIds) {
            StreamId streamId = known.get(rowId);
            if (streamId != null) {
                found.put(rowId, streamId);
            } else {
                missing.add(rowId);
            }
        }
        if (!missing.isEmpty()) {
            Map<UUID, StreamId> read = read(connection, new ArrayList<>(missing));
            if (known.size() + read.size() > MOST) {
                known.clear();
            }
            known.putAll(read);
            found.putAll(read);
        }
        return found;
    }

    /** Forgets a stream this process deletes. */
    void forget(UUID rowId) {
        known.remove(rowId);
    }

    private Map<UUID, StreamId> read(Connection connection, List<UUID> rowIds) throws SQLException {
        String sql = "select id, stream_uuid, name, category from es_stream " + switch (platform) {
            case POSTGRESQL -> "where id = any(?)";
            case STANDARD -> "join table(x uuid = ?) r on r.x = id";
            case MARIADB -> "where id in (" + String.join(", ", Collections.nCopies(rowIds.size(), "?")) + ")";
        };
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (platform == DatabasePlatform.MARIADB) {
                for (int i = 0; i < rowIds.size(); i++) {
                    platform.bindUuid(statement, i + 1, rowIds.get(i));
                }
            } else if (platform == DatabasePlatform.POSTGRESQL) {
                statement.setArray(1, connection.createArrayOf("uuid", rowIds.toArray()));
            } else {
                statement.setObject(1, rowIds.toArray(new UUID[0]));
            }
            Map<UUID, StreamId> read = new HashMap<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    String category = row.getString(4);
                    read.put(platform.uuid(row, 1), new StreamId(platform.uuid(row, 2), row.getString(3),
                            category.isEmpty() ? null : category));
                }
            }
            return read;
        }
    }
}

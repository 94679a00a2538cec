package dev.eventsourcery.eventstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * The physical limit: hand-written, batched SQL doing the event store's work on the same rows and
 * constraints (the stream row with its tenant, name and category and their unique constraints, unique
 * (stream, version), unique event id), with the same expected-version check (insert the stream row at
 * 0, else compare-and-set its version) and the same Jackson 3 serialization, in one
 * transaction per append, with nothing else in between.
 */
final class JdbcContender implements Contender {

    private static final String INSERT_EVENT = "insert into jdbc_event (stream_id, tenant_id, version, event_uuid, "
            + "event_type, payload, context, created_at) values (?, '', ?, ?, ?, ?, ?, ?)";
    private static final String SELECT_EVENTS = "select event_uuid, version, event_type, payload, context, created_at "
            + "from jdbc_event where stream_id = ? and tenant_id = '' order by version";
    private static final Map<String, Class<?>> EVENT_TYPES = Map.of("MoneyDeposited", MoneyDeposited.class);

    private final DataSource dataSource;
    private final Database database;
    private final JsonMapper mapper = JsonMapper.builder().build();

    JdbcContender(Database database, DataSource dataSource) {
        this.database = database;
        this.dataSource = dataSource;
    }

    /** What a load returns per event: the envelope the event store's API returns, deserialized. */
    record LoadedEvent(UUID uuid, long version, Object event, EventContext context, Instant createdAt) {
    }

    /** The context every event carries, in the event store's JSON shape. */
    record EventContext(@Nullable UUID correlationId, @Nullable UUID causationId, Map<String, Object> attributes) {
    }

    @Override
    public String name() {
        return "raw JDBC";
    }

    @Override
    public void append(UUID stream, long expectedVersion, List<MoneyDeposited> events) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                advanceStream(connection, stream, expectedVersion, events.size());
                try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
                    for (int i = 0; i < events.size(); i++) {
                        insert.setObject(1, stream);
                        insert.setLong(2, expectedVersion + i + 1);
                        insert.setObject(3, UUID.randomUUID());
                        insert.setString(4, "MoneyDeposited");
                        bindJson(insert, 5, mapper.writeValueAsString(events.get(i)));
                        bindJson(insert, 6, mapper.writeValueAsString(new EventContext(null, null, Map.of())));
                        insert.setObject(7, OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS),
                                ZoneOffset.UTC));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Append to " + stream + " at " + expectedVersion + " failed", e);
        }
    }

    /** The expected-version check: creating the stream row collides with an existing one, a stale CAS changes nothing. */
    private static void advanceStream(Connection connection, UUID stream, long expectedVersion, int count)
            throws SQLException {
        if (expectedVersion == 0) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into jdbc_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
                            + "values (?, '', ?, null, '', true, ?)")) {
                insert.setObject(1, stream);
                insert.setObject(2, stream);
                insert.setLong(3, count);
                insert.executeUpdate();
            }
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "update jdbc_stream set version = ? where id = ? and tenant_id = '' and versioned = true "
                        + "and version = ?")) {
            update.setLong(1, expectedVersion + count);
            update.setObject(2, stream);
            update.setLong(3, expectedVersion);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("Stream " + stream + " is not at version " + expectedVersion);
            }
        }
    }

    private void bindJson(PreparedStatement statement, int index, String json) throws SQLException {
        if (database == Database.H2) {
            // H2 reads bytes as JSON text, a character string as one JSON string value
            statement.setBytes(index, json.getBytes(StandardCharsets.UTF_8));
        } else {
            statement.setObject(index, json, Types.OTHER);
        }
    }

    @Override
    public List<?> load(UUID stream) {
        try (Connection connection = dataSource.getConnection()) {
            // a transaction, so that PostgreSQL streams the rows with a cursor instead of reading them all at once
            connection.setAutoCommit(false);
            List<LoadedEvent> events = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(SELECT_EVENTS)) {
                select.setObject(1, stream);
                select.setFetchSize(500);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Class<?> type = EVENT_TYPES.get(rows.getString(3));
                        events.add(new LoadedEvent(rows.getObject(1, UUID.class), rows.getLong(2),
                                mapper.readValue(rows.getString(4), type),
                                mapper.readValue(rows.getString(5), EventContext.class),
                                rows.getObject(6, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            connection.commit();
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("Load of " + stream + " failed", e);
        }
    }

    @Override
    public void fill(int streams, int eventsPerStream) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String streamId = database.fillStreamUuid("s.x");
        jdbc.update("insert into jdbc_stream (id, tenant_id, stream_uuid, name, category, versioned, version) select "
                + streamId + ", '', " + streamId + ", null, 'fill', true, " + eventsPerStream + " from "
                + database.series(streams, "s"));
        jdbc.update("insert into jdbc_event (stream_id, tenant_id, version, event_uuid, event_type, payload, context, "
                + "created_at) select " + streamId + ", '', v.x, " + database.randomUuid() + ", 'MoneyDeposited', "
                + database.json(MoneyDeposited.jsonSql("v.x")) + ", "
                + database.json("'{\"correlationId\":null,\"causationId\":null,\"attributes\":{}}'")
                + ", current_timestamp from " + database.series(streams, "s") + " cross join "
                + database.series(eventsPerStream, "v"));
    }

    @Override
    public List<String> tables() {
        return List.of("jdbc_stream", "jdbc_event");
    }
}

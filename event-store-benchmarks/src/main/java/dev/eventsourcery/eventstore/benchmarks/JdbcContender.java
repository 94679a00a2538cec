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
import java.util.HashMap;
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
 *
 * <p>Its log has the event store's structure: each event insert records the event as pending in the same
 * statement ({@code jdbc_pending}); S7's preparation numbers the pending events into {@code jdbc_log} in
 * one statement, unmeasured, where the event store has its sequencer; S7 reads log and event rows joined
 * by position, in batches of {@value #LOG_PAGE}, and the identities of streams it has not seen before from
 * their rows, as the event store's subscriptions do.
 */
final class JdbcContender implements LogReader {

    private static final String SELECT_EVENTS = "select event_uuid, version, event_type, payload, context, created_at "
            + "from jdbc_event where stream_id = ? and tenant_id = '' order by version";
    private static final String READ_LOG = "select l.position, l.tenant_id, e.stream_id, "
            + "e.event_uuid, e.version, e.event_type, e.payload, e.context, e.created_at from jdbc_log l "
            + "join jdbc_event e on e.seq = l.seq where l.position > ? order by l.position limit ?";
    private static final int LOG_PAGE = 1000;
    private static final Map<String, Class<?>> EVENT_TYPES = Map.of("MoneyDeposited", MoneyDeposited.class);

    private final DataSource dataSource;
    private final Database database;
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final Map<UUID, StreamIdentity> streams = new HashMap<>();

    JdbcContender(Database database, DataSource dataSource) {
        this.database = database;
        this.dataSource = dataSource;
    }

    /** What a load returns per event: the envelope the event store's API returns, deserialized. */
    record LoadedEvent(UUID uuid, long version, Object event, EventContext context, Instant createdAt) {
    }

    /** What a read of the log returns per event: the event store's {@code RecordedEvent}, deserialized. */
    record LoggedEvent(long position, String tenantId, UUID streamUuid, @Nullable String name, String category,
            LoadedEvent event) {
    }

    /** A stream's identity as its row holds it. */
    record StreamIdentity(UUID streamUuid, @Nullable String name, String category) {
    }

    /** The context every event carries, in the event store's JSON shape. */
    record EventContext(@Nullable UUID correlationId, @Nullable UUID causationId, Map<String, Object> attributes) {
    }

    @Override
    public String name() {
        return "raw JDBC";
    }

    /**
     * One statement in autocommit mode, as the event store's append: the compare-and-set of the stream row (or
     * its creation at version 0), the event rows after it and their pending rows; nothing when the stream is
     * not at the expected version. PostgreSQL chains the steps in a data-modifying common table expression
     * (several events as unnested arrays), H2 in nested data change delta tables.
     */
    @Override
    public void append(UUID stream, long expectedVersion, List<MoneyDeposited> events) {
        int count = events.size();
        String[] payloads = new String[count];
        String[] ids = new String[count];
        String[] times = new String[count];
        for (int i = 0; i < count; i++) {
            payloads[i] = mapper.writeValueAsString(events.get(i));
            ids[i] = UUID.randomUUID().toString();
            times[i] = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        }
        String context = mapper.writeValueAsString(new EventContext(null, null, Map.of()));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(database == Database.H2
                        ? h2Append(expectedVersion, count) : postgresAppend(expectedVersion, count))) {
            int index = 1;
            if (database == Database.H2) {
                statement.setLong(index++, count);
            }
            if (expectedVersion == 0) {
                statement.setObject(index++, stream);
                statement.setObject(index++, stream);
                statement.setLong(index++, count);
                if (database == Database.H2) {
                    statement.setObject(index++, stream);
                }
            } else {
                statement.setLong(index++, expectedVersion + count);
                statement.setObject(index++, stream);
                statement.setLong(index++, expectedVersion);
            }
            if (database == Database.H2) {
                for (int i = 0; i < count; i++) {
                    statement.setInt(index++, i + 1);
                    statement.setString(index++, ids[i]);
                    statement.setString(index++, payloads[i]);
                    statement.setString(index++, context);
                    statement.setObject(index++, OffsetDateTime.parse(times[i].replace("Z", "+00:00")));
                }
            } else if (count == 1) {
                statement.setObject(index++, UUID.fromString(ids[0]));
                statement.setObject(index++, payloads[0], Types.OTHER);
                statement.setObject(index++, context, Types.OTHER);
                statement.setObject(index, OffsetDateTime.parse(times[0].replace("Z", "+00:00")));
            } else {
                String[] contexts = new String[count];
                java.util.Arrays.fill(contexts, context);
                statement.setArray(index++, connection.createArrayOf("uuid", ids));
                statement.setArray(index++, connection.createArrayOf("text", payloads));
                statement.setArray(index++, connection.createArrayOf("text", contexts));
                statement.setArray(index, connection.createArrayOf("timestamptz", times));
            }
            if (statement.executeUpdate() != count) {
                throw new IllegalStateException("Stream " + stream + " is not at version " + expectedVersion);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Append to " + stream + " at " + expectedVersion + " failed", e);
        }
    }

    private static String postgresAppend(long expectedVersion, int count) {
        String stream = expectedVersion == 0
                ? "insert into jdbc_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
                        + "values (?, '', ?, null, '', true, ?) on conflict do nothing returning id, 0::bigint as base"
                : "update jdbc_stream set version = ? where id = ? and tenant_id = '' and versioned and version = ? "
                        + "returning id, version - " + count + " as base";
        String events = count == 1
                ? "select s.id, '', s.base + 1, ?, 'MoneyDeposited', ?, ?, ? from s"
                : "select s.id, '', s.base + v.ord, v.event_uuid, 'MoneyDeposited', v.payload::json, v.context::json, "
                        + "v.created_at from s cross join unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[]) "
                        + "with ordinality as v(event_uuid, payload, context, created_at, ord) order by v.ord";
        return "with s as (" + stream + "), e as (insert into jdbc_event (stream_id, tenant_id, version, event_uuid, "
                + "event_type, payload, context, created_at) " + events + " returning seq) "
                + "insert into jdbc_pending (seq) select seq from e";
    }

    private static String h2Append(long expectedVersion, int count) {
        String stream = expectedVersion == 0
                ? "insert into jdbc_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
                        + "select ?, '', ?, null, '', true, ? where not exists (select 1 from jdbc_stream where id = ?)"
                : "update jdbc_stream set version = ? where id = ? and tenant_id = '' and versioned and version = ?";
        String row = "(cast(? as integer), cast(? as uuid), cast(? as varchar) format json, cast(? as varchar) format json, "
                + "cast(? as timestamp(6) with time zone))";
        return "insert into jdbc_pending (seq) select seq from final table (insert into jdbc_event (stream_id, "
                + "tenant_id, version, event_uuid, event_type, payload, context, created_at) select s.id, '', "
                + "s.version - ? + v.ord, v.event_uuid, 'MoneyDeposited', v.payload, v.context, v.created_at from "
                + "final table (" + stream + ") s cross join (values " + String.join(", ", java.util.Collections.nCopies(count, row))
                + ") v(ord, event_uuid, payload, context, created_at) order by v.ord)";
    }

    @Override
    public List<?> load(UUID stream) {
        try (Connection connection = dataSource.getConnection()) {
            // one statement in autocommit mode, as the event store loads outside a transaction
            List<LoadedEvent> events = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(SELECT_EVENTS)) {
                select.setObject(1, stream);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        events.add(event(rows, 1));
                    }
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("Load of " + stream + " failed", e);
        }
    }

    /** The event in the columns {@code uuid, version, type, payload, context, created_at} from {@code first} on. */
    private LoadedEvent event(ResultSet rows, int first) throws SQLException {
        Class<?> type = EVENT_TYPES.get(rows.getString(first + 2));
        return new LoadedEvent(rows.getObject(first, UUID.class), rows.getLong(first + 1),
                mapper.readValue(rows.getString(first + 3), type),
                mapper.readValue(rows.getString(first + 4), EventContext.class),
                rows.getObject(first + 5, OffsetDateTime.class).toInstant());
    }

    /** Numbers the pending events into the log, in the order they were inserted: the sequencer's work, unmeasured. */
    @Override
    public void completeLog(int events) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        long head = jdbc.queryForObject("select coalesce(max(position), 0) from jdbc_log", Long.class);
        jdbc.update("insert into jdbc_log (position, seq, tenant_id, category, event_type) select " + head
                + " + row_number() over (order by p.seq), p.seq, e.tenant_id, s.category, e.event_type "
                + "from jdbc_pending p join jdbc_event e on e.seq = p.seq join jdbc_stream s on s.id = e.stream_id");
        jdbc.update("delete from jdbc_pending");
        long logged = jdbc.queryForObject("select count(*) from jdbc_log", Long.class);
        if (logged != events) {
            throw new IllegalStateException("Raw JDBC's log holds " + logged + " events, not " + events
                    + ": S7 needs tables that hold nothing else");
        }
    }

    @Override
    public long readLog(int events) {
        long amounts = 0;
        int read = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(READ_LOG)) {
            // each batch a statement of its own, committed at once: no transaction is held between batches
            connection.setAutoCommit(true);
            long position = 0;
            while (read < events) {
                select.setLong(1, position);
                select.setInt(2, LOG_PAGE);
                List<Long> positions = new ArrayList<>(LOG_PAGE);
                List<String> tenants = new ArrayList<>(LOG_PAGE);
                List<UUID> streamRows = new ArrayList<>(LOG_PAGE);
                List<LoadedEvent> loaded = new ArrayList<>(LOG_PAGE);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        positions.add(rows.getLong(1));
                        tenants.add(rows.getString(2));
                        streamRows.add(rows.getObject(3, UUID.class));
                        loaded.add(event(rows, 4));
                    }
                }
                readStreams(connection, streamRows);
                List<LoggedEvent> page = new ArrayList<>(loaded.size());
                for (int i = 0; i < loaded.size(); i++) {
                    StreamIdentity stream = streams.get(streamRows.get(i));
                    page.add(new LoggedEvent(positions.get(i), tenants.get(i), stream.streamUuid(), stream.name(),
                            stream.category(), loaded.get(i)));
                }
                if (page.isEmpty()) {
                    throw new IllegalStateException("Raw JDBC's log ended after " + read + " of " + events + " events");
                }
                for (LoggedEvent event : page) {
                    amounts += ((MoneyDeposited) event.event().event()).amountInCents();
                }
                position = page.get(page.size() - 1).position();
                read += page.size();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Read of the log failed", e);
        }
        return amounts;
    }

    /** Reads the identities of the streams not seen before, in one statement. */
    private void readStreams(Connection connection, List<UUID> streamRows) throws SQLException {
        List<UUID> missing = streamRows.stream().distinct().filter(row -> !streams.containsKey(row)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String sql = "select id, stream_uuid, name, category from jdbc_stream "
                + (database == Database.H2 ? "join table(x uuid = ?) r on r.x = id" : "where id = any(?)");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (database == Database.H2) {
                statement.setObject(1, missing.toArray(new UUID[0]));
            } else {
                statement.setArray(1, connection.createArrayOf("uuid", missing.toArray()));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    streams.put(rows.getObject(1, UUID.class), new StreamIdentity(rows.getObject(2, UUID.class),
                            rows.getString(3), rows.getString(4)));
                }
            }
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
                + database.series(eventsPerStream, "v") + " order by s.x, v.x");
        // numbered, as the event store's fill numbers its events
        long head = jdbc.queryForObject("select coalesce(max(position), 0) from jdbc_log", Long.class);
        jdbc.update("insert into jdbc_log (position, seq, tenant_id, category, event_type) select " + head
                + " + row_number() over (order by e.seq), e.seq, e.tenant_id, s.category, e.event_type "
                + "from jdbc_event e join jdbc_stream s on s.id = e.stream_id where s.category = 'fill'");
    }

    @Override
    public List<String> tables() {
        return List.of("jdbc_stream", "jdbc_event", "jdbc_log");
    }
}

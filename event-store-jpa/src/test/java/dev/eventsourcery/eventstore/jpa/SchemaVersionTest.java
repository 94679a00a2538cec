package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventType;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.storage.EventRecord;
import dev.eventsourcery.eventstore.storage.LogQuery;
import dev.eventsourcery.eventstore.storage.LogRecord;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.StreamSlice;

/**
 * Every event and snapshot keeps the schema version its class declares ({@link EventType#version()}, 1
 * without the annotation): in the {@code schema_version} column of its row, and in the records the storage
 * reads back from streams and from the log; and a database the previous schema script created gains the
 * column when the current one runs, its rows at version 1. On every database.
 */
class SchemaVersionTest {

    /** An event class at its third schema version. */
    @EventType(value = "test.PriceChanged", version = 3)
    public record PriceChanged(String sku, long cents) {
    }

    /** An event class without the annotation: schema version 1. */
    public record NoteAdded(String text) {
    }

    /** A snapshot class at its third schema version. */
    @EventType(value = "test.PriceList", version = 3)
    public record PriceList(int prices) {
    }

    /** A snapshot class without the annotation. */
    public record PriceCount(int prices) {
    }

    /** The schema version each stored type name must carry. */
    private static final Map<String, Integer> VERSIONS = Map.of("test.PriceChanged", 3, "NoteAdded", 1,
            "test.PriceList", 3, "PriceCount", 1);

    private static JpaTestContext context(TestDatabase database) {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        return context;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyKindOfAppendStoresEachEventsSchemaVersionAndTheStorageReadsItBack(TestDatabase database) {
        appendEveryWayAndCheck(context(database));
    }

    @ParameterizedTest
    @EnumSource(names = "MARIADB")
    void onMariaDbConnectionsOfOneStatementPerRoundTripTheSchemaVersionsAreStoredAlike(TestDatabase database) {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.plain(database);
        context.clear();
        appendEveryWayAndCheck(context);
    }

    /**
     * Appends in each way the backend writes events (one event, several, after an expected version, after any,
     * to a versionless stream, in a caller's transaction, more than one statement holds), the two classes
     * alternating, and checks the rows, the streams' reads and the log's.
     */
    private static void appendEveryWayAndCheck(JpaTestContext context) {
        JpaEventStorage storage = context.storage();
        EventStore store = StorageEventStore.builder(storage).build();
        StreamId one = StreamId.random();
        StreamId several = StreamId.random();
        StreamId any = StreamId.random();
        StreamId versionless = StreamId.random();
        StreamId inTransaction = StreamId.random();
        StreamId large = StreamId.random();

        store.appendEvents(one, 0, new PriceChanged("a", 100));
        store.appendEvents(several, 0, new PriceChanged("a", 100), new NoteAdded("b"), new PriceChanged("c", 300));
        store.appendEvents(any, Versioning.ANY, new NoteAdded("a"), new PriceChanged("b", 200));
        store.appendEvents(versionless, Versioning.NO_VERSIONING, new PriceChanged("a", 100), new NoteAdded("b"));
        context.transactions().executeWithoutResult(status -> {
            store.appendEvents(inTransaction, 0, new NoteAdded("a"));
            store.appendEvents(inTransaction, 1, new PriceChanged("b", 200), new NoteAdded("c"));
        });
        List<WrappedEvent<?>> many = new ArrayList<>();
        for (int i = 0; i <= JpaEventStorage.MOST_EVENTS_IN_ONE_STATEMENT; i++) {
            many.add(WrappedEvent.wrap(i % 2 == 0 ? new PriceChanged("p" + i, i) : new NoteAdded("n" + i)));
        }
        store.append(large, 0, many);

        // the rows, read with plain JDBC: every one at its class's version
        List<Map<String, Object>> rows = context.jdbc.queryForList("select event_type, schema_version from es_event");
        assertThat(rows).hasSize(1 + 3 + 2 + 2 + 3 + many.size())
                .allSatisfy(row -> assertThat(((Number) row.get("schema_version")).intValue())
                        .as("schema_version of a %s", row.get("event_type"))
                        .isEqualTo(VERSIONS.get((String) row.get("event_type"))));

        // the streams as the storage reads them, in order
        assertThat(read(storage, one).events()).extracting(EventRecord::type, EventRecord::schemaVersion)
                .containsExactly(tuple("test.PriceChanged", 3));
        assertThat(read(storage, several).events()).extracting(EventRecord::type, EventRecord::schemaVersion)
                .containsExactly(tuple("test.PriceChanged", 3), tuple("NoteAdded", 1), tuple("test.PriceChanged", 3));
        assertThat(read(storage, any).events()).extracting(EventRecord::schemaVersion).containsExactly(1, 3);
        assertThat(read(storage, versionless).events()).extracting(EventRecord::schemaVersion).containsExactly(3, 1);
        assertThat(read(storage, inTransaction).events()).extracting(EventRecord::schemaVersion).containsExactly(1, 3, 1);
        List<EventRecord> largeRead = read(storage, large).events();
        assertThat(largeRead).hasSize(many.size());
        for (int i = 0; i < largeRead.size(); i++) {
            assertThat(largeRead.get(i).schemaVersion()).as("event %d of the large append", i).isEqualTo(i % 2 == 0 ? 3 : 1);
        }

        // the log as the storage reads it
        storage.position();
        List<LogRecord> log = storage.readLog(new LogQuery(0, 10_000, null, null, null)).records();
        assertThat(log).hasSize(rows.size()).allSatisfy(record -> assertThat(record.event().schemaVersion())
                .as("schema version of a logged %s", record.event().type())
                .isEqualTo(VERSIONS.get(record.event().type())));
        assertThat(log).extracting(record -> record.event().schemaVersion()).contains(1, 3);

        // and the events load as the classes they were written from
        assertThat(store.loadStream(several)).<Object>extracting(WrappedEvent::event)
                .containsExactly(new PriceChanged("a", 100), new NoteAdded("b"), new PriceChanged("c", 300));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSnapshotKeepsItsSchemaVersionAndAReplacingSnapshotItsOwn(TestDatabase database) {
        JpaTestContext context = context(database);
        JpaEventStorage storage = context.storage();
        EventStore store = StorageEventStore.builder(storage).build();
        StreamId stream = StreamId.random();
        store.appendEvents(stream, 0, new PriceChanged("a", 1), new PriceChanged("b", 2), new NoteAdded("c"));

        store.saveSnapshot(stream, WrappedEvent.wrap(new PriceList(2), 2L));

        assertThat(context.jdbc.queryForObject("select schema_version from es_snapshot", Integer.class)).isEqualTo(3);
        StreamSlice slice = read(storage, stream);
        assertThat(slice.snapshot()).extracting(EventRecord::type, EventRecord::schemaVersion)
                .containsExactly("test.PriceList", 3);
        assertThat(slice.events()).extracting(EventRecord::schemaVersion).containsExactly(1);

        // the same version snapshotted again, from a class without the annotation: the row takes its version
        store.saveSnapshot(stream, WrappedEvent.wrap(new PriceCount(2), 2L));

        assertThat(context.jdbc.queryForObject("select schema_version from es_snapshot", Integer.class)).isEqualTo(1);
        assertThat(read(storage, stream).snapshot()).extracting(EventRecord::type, EventRecord::schemaVersion)
                .containsExactly("PriceCount", 1);

        // a snapshot saved in a caller's transaction
        context.transactions().executeWithoutResult(status ->
                store.saveSnapshot(stream, WrappedEvent.wrap(new PriceList(3), 3L)));
        assertThat(context.jdbc.queryForList("select schema_version from es_snapshot order by version", Integer.class))
                .containsExactly(1, 3);
        assertThat(read(storage, stream).snapshot()).extracting(EventRecord::version, EventRecord::schemaVersion)
                .containsExactly(3L, 3);
        assertThat(store.loadStream(stream)).<Object>extracting(WrappedEvent::event)
                .containsExactly(new PriceList(3));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theSchemaScriptGivesADatabaseOfThePreviousScriptTheColumnsWithItsRowsAtVersionOne(TestDatabase database)
            throws SQLException {
        database.assumeReachable();
        try (HikariDataSource dataSource = database.newDataSource()) {
            DatabasePlatform platform;
            try (Connection connection = dataSource.getConnection()) {
                platform = DatabasePlatform.of(connection.getMetaData().getDatabaseProductName());
            }
            // the previous schema script: the migrations before 0.3, one after the other (MigrationScriptsTest)
            run(dataSource, "db/event-store/flyway/" + database.platform() + "/V0_1__event_store_schema.sql",
                    "db/event-store/flyway/" + database.platform() + "/V0_2__projections.sql");
            assertThatThrownBy(() -> JpaTestContext.validatedPersistenceUnit(dataSource))
                    .as("the entities map what the later scripts add").hasStackTraceContaining("Schema validation");
            StreamId stream = StreamId.named("old-prices");
            UUID first = UUID.randomUUID();
            UUID second = UUID.randomUUID();
            UUID snapshot = UUID.randomUUID();
            storeAsThePreviousVersionDid(dataSource, platform, stream, first, second, snapshot);

            // the current script, twice: it is idempotent
            String script = "dev/eventsourcery/eventstore/jpa/schema-" + database.platform() + ".sql";
            run(dataSource, script);
            run(dataSource, script);

            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            assertThat(jdbc.queryForList("select schema_version from es_event", Integer.class)).containsExactly(1, 1);
            assertThat(jdbc.queryForList("select schema_version from es_snapshot", Integer.class)).containsExactly(1);

            // the entities validate against the upgraded tables; the storage reads the old rows at version 1
            LocalContainerEntityManagerFactoryBean unit = JpaTestContext.validatedPersistenceUnit(dataSource);
            EntityManagerFactory factory = unit.getObject();
            try (JpaEventStorage storage = new JpaEventStorage(factory, new JpaTransactionManager(factory))) {
                StreamSlice slice = read(storage, stream);
                assertThat(slice.snapshot()).extracting(EventRecord::uuid, EventRecord::schemaVersion)
                        .containsExactly(snapshot, 1);
                assertThat(slice.events()).extracting(EventRecord::uuid, EventRecord::schemaVersion)
                        .containsExactly(tuple(second, 1));
                storage.position();
                assertThat(storage.readLog(new LogQuery(0, 10, null, null, null)).records())
                        .extracting(record -> record.event().uuid(), record -> record.event().schemaVersion())
                        .containsExactly(tuple(first, 1), tuple(second, 1));

                // and writes new events at their classes' versions after them
                EventStore store = StorageEventStore.builder(storage).build();
                store.appendEvents(stream, 2, new PriceChanged("c", 3));
                assertThat(read(storage, stream).events()).extracting(EventRecord::version, EventRecord::schemaVersion)
                        .containsExactly(tuple(2L, 1), tuple(3L, 3));
                assertThat(jdbc.queryForList("select schema_version from es_event order by version", Integer.class))
                        .containsExactly(1, 1, 3);
            } finally {
                unit.destroy();
            }
        }
    }

    /**
     * Two events and a snapshot of the first, written with the columns the previous schema had, as the store
     * wrote them then: the stream row, the event rows recorded as pending, the snapshot row.
     */
    private static void storeAsThePreviousVersionDid(DataSource dataSource, DatabasePlatform platform, StreamId stream,
            UUID first, UUID second, UUID snapshot) throws SQLException {
        UUID rowId = StreamKeys.rowId(TenantId.DEFAULT, stream);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement("insert into es_stream (id, tenant_id, "
                    + "stream_uuid, name, category, versioned, version) values (?, ?, ?, ?, ?, true, 2)")) {
                platform.bindUuid(statement, 1, rowId);
                statement.setString(2, TenantId.DEFAULT.value());
                platform.bindUuid(statement, 3, stream.uuid());
                statement.setString(4, stream.name());
                statement.setString(5, StreamKeys.category(stream));
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement("insert into es_event (stream_id, tenant_id, "
                    + "version, event_uuid, event_type, payload, context, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
                long version = 0;
                for (UUID event : List.of(first, second)) {
                    platform.bindUuid(statement, 1, rowId);
                    statement.setString(2, TenantId.DEFAULT.value());
                    statement.setLong(3, ++version);
                    platform.bindUuid(statement, 4, event);
                    statement.setString(5, "test.PriceChanged");
                    platform.bindJson(statement, 6, "{\"sku\":\"a\",\"cents\":" + version + "}");
                    platform.bindJson(statement, 7, "{}");
                    platform.bindInstant(statement, 8, now);
                    statement.executeUpdate();
                }
            }
            if (platform != DatabasePlatform.MARIADB) {
                // MariaDB's trigger records them as pending
                try (PreparedStatement statement = connection.prepareStatement(
                        "insert into es_pending (seq) select seq from es_event")) {
                    statement.executeUpdate();
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("insert into es_snapshot (stream_id, version, "
                    + "tenant_id, snapshot_uuid, event_type, payload, context, created_at) values (?, 1, ?, ?, ?, ?, ?, ?)")) {
                platform.bindUuid(statement, 1, rowId);
                statement.setString(2, TenantId.DEFAULT.value());
                platform.bindUuid(statement, 3, snapshot);
                statement.setString(4, "test.PriceList");
                platform.bindJson(statement, 5, "{\"prices\":1}");
                platform.bindJson(statement, 6, "{}");
                platform.bindInstant(statement, 7, now);
                statement.executeUpdate();
            }
        }
    }

    private static StreamSlice read(JpaEventStorage storage, StreamId stream) {
        return storage.read(TenantId.DEFAULT, stream, null, null);
    }

    private static void run(DataSource dataSource, String... scripts) {
        ResourceDatabasePopulator populator = new ResourceDatabasePopulator();
        for (String script : scripts) {
            populator.addScript(new ClassPathResource(script));
        }
        populator.execute(dataSource);
    }
}

package dev.eventsourcery.eventstore.benchmarks;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.ProjectionRunners;
import dev.eventsourcery.eventstore.spring.projection.ProjectionSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * P1, a projection catching up: the log already holds {@code bench.projectionEvents} events (written with
 * server-side SQL, as S6's fill), and a projection that inserts one read-model row per event starts from the
 * beginning. A round runs from the projection's start until the transaction that moved its checkpoint to the
 * last event has committed (a transaction synchronization registered by the handler of the last event), from
 * an empty read model and a checkpoint at the start. Three contenders on the same database, the same events:
 *
 * <ol>
 *   <li>the event store's {@link ProjectionRunners} with one {@link Projection} bean whose
 *       {@link ProjectionHandler} inserts with a {@link JdbcTemplate} in the batch's transaction, an event at a
 *       time;</li>
 *   <li>the same with a handler of a {@code List} of events, which inserts each batch's rows with one
 *       {@link JdbcTemplate#batchUpdate JDBC batch}, as the JDBC loop does;</li>
 *   <li>Axon's {@link TrackingEventProcessor} on its {@code EmbeddedEventStore}, its tokens in a
 *       {@link JpaTokenStore} on the same persistence unit, the same insert in its unit of work, bound to the
 *       same Spring transaction manager;</li>
 *   <li>a hand-written JDBC loop reading the event store's log tables with the store's own query, in pages of
 *       the batch size, payload and context deserialized with Jackson 3, each page's rows inserted with a JDBC
 *       batch in one transaction that also moves a checkpoint row.</li>
 * </ol>
 *
 * <p>Every contender handles {@value #BATCH_SIZE} events per transaction: the starter's default
 * ({@code event-store.projections.batch-size}).
 */
final class ProjectionCatchUp {

    /** Events per transaction, for all three: the starter's default batch size. */
    static final int BATCH_SIZE = 100;

    static final String EVENT_STORE = Report.EVENT_STORE;
    static final String EVENT_STORE_LISTS = "event store, list handler";
    static final String AXON = Report.AXON;
    static final String JDBC_LOOP = "JDBC loop";

    private static final String NAME = "p1";

    /** The starter's defaults ({@code event-store.projections.*}), an instance id of the benchmark's. */
    private static final ProjectionSettings SETTINGS = new ProjectionSettings("benchmark", BATCH_SIZE, 3,
            Duration.ofSeconds(1), 2, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), 10_000);

    /** The store's log read ({@code LogRows.read}) as its projection's subscription sends it: one event type. */
    private static final String READ_LOG = "select l.position, l.tenant_id, e.stream_id, e.version, e.event_uuid, "
            + "e.event_type, e.schema_version, e.payload, e.context, e.created_at from es_log l "
            + "join es_event e on e.seq = l.seq where l.position > ? and l.event_type in (?) "
            + "order by l.position limit ?";

    /** The same on H2, which the store asks to read along the log's primary key ({@code DatabasePlatform}). */
    private static final String READ_LOG_H2 = READ_LOG.replace("l.event_type in (?)",
            "case when l.event_type in (?) then true else false end");

    /**
     * P1's figures on one database.
     *
     * @param events events in the log, each contender's
     * @param batchSize events per transaction
     * @param medians events/s by contender, medians of the measured rounds
     * @param rows read-model rows each contender wrote in its last round (checked: one per event)
     */
    record Result(int events, int batchSize, Map<String, Double> medians, Map<String, Long> rows) {

        double of(String contender) {
            return medians.get(contender);
        }
    }

    private final Database database;
    private final Settings settings;
    private final PrintStream progress;

    ProjectionCatchUp(Database database, Settings settings, PrintStream progress) {
        this.database = database;
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Runs P1 on tables of its own: a new schema on a pool, persistence unit, event store and Axon of its own,
     * since the log must begin with P1's events (the event store's in-memory head must not outlive its tables).
     */
    Result run() {
        try (HikariDataSource dataSource = database.dataSource("benchmarks-" + database.platform() + "-p1")) {
            database.recreateSchema(dataSource);
            try (PersistenceUnit unit = PersistenceUnit.on(database, dataSource);
                    EventStoreContender eventStore = new EventStoreContender(unit, database, dataSource)) {
                AxonContender axon = new AxonContender(unit, database, dataSource);
                try {
                    return run(dataSource, eventStore, axon);
                } finally {
                    axon.shutDown();
                }
            } finally {
                if (database == Database.H2) {
                    new JdbcTemplate(dataSource).execute("drop all objects");
                }
            }
        }
    }

    private Result run(DataSource dataSource, EventStoreContender eventStore, AxonContender axon) {
        int events = settings.projectionEvents();
        int perStream = events >= 100 && events % 100 == 0 ? 100 : events;
        int streams = events / perStream;
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // the event store's schema scripts create the projections' tables; P1 needs them empty
        long existing = jdbc.queryForObject("select count(*) from es_projection", Long.class)
                + jdbc.queryForObject("select count(*) from es_dead_letter", Long.class);
        if (existing != 0) {
            throw new IllegalStateException("es_projection and es_dead_letter must be new and empty for P1");
        }
        long start = System.nanoTime();
        eventStore.fill(streams, perStream);
        axon.fill(streams, perStream);
        for (String table : List.of("es_stream", "es_event", "es_log", "domain_event_entry")) {
            database.analyze(jdbc, table);
        }
        database.settle(jdbc);
        progress.printf("%s P1: wrote %,d events into the event store's and Axon's tables in %.1f s%n",
                database.title(), events, (System.nanoTime() - start) / 1e9);
        // every stream holds the deposits number(1) … number(perStream), of 100 + n cents each
        long amounts = (long) streams * (100L * perStream + (long) perStream * (perStream + 1) / 2);

        List<Contender> contenders = List.of(new EventStoreProjection(eventStore, dataSource, events, amounts, false),
                new EventStoreProjection(eventStore, dataSource, events, amounts, true),
                new AxonProcessor(axon, dataSource, events, amounts),
                new JdbcLoop(dataSource, database == Database.H2 ? READ_LOG_H2 : READ_LOG, events, amounts));
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        int rounds = settings.projectionWarmUpRounds() + settings.projectionRounds();
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder();
            for (int turn = 0; turn < contenders.size(); turn++) {
                Contender contender = contenders.get((turn + round) % contenders.size());
                double figure = contender.round();
                rows.put(contender.name(), contender.rows());
                if (round >= settings.projectionWarmUpRounds()) {
                    figures.computeIfAbsent(contender.name(), name -> new ArrayList<>()).add(figure);
                }
                line.append(String.format("  %s %,.0f", contender.name(), figure));
            }
            progress.printf("%s P1 %s %d/%d:%s events/s%n", database.title(),
                    round < settings.projectionWarmUpRounds() ? "warm-up" : "round", round + 1, rounds, line);
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        Map<String, Long> orderedRows = new LinkedHashMap<>();
        for (String name : List.of(EVENT_STORE, EVENT_STORE_LISTS, AXON, JDBC_LOOP)) {
            medians.put(name, Benchmark.median(figures.get(name)));
            orderedRows.put(name, rows.get(name));
        }
        return new Result(events, BATCH_SIZE, medians, orderedRows);
    }

    /** One way of running the projection. */
    private abstract static class Contender {

        final JdbcTemplate jdbc;
        final int events;
        final long amounts;
        private final String table;
        private long rows;

        Contender(DataSource dataSource, String table, int events, long amounts) {
            this.jdbc = new JdbcTemplate(dataSource);
            this.table = table;
            this.events = events;
            this.amounts = amounts;
        }

        abstract String name();

        /** A catch-up from an empty read model and a reset checkpoint, checked; events/s. */
        final double round() {
            jdbc.update("delete from " + table);
            double figure = catchUp();
            check();
            return figure;
        }

        /** Resets the checkpoint, runs the projection until its checkpoint is at the last event; events/s. */
        abstract double catchUp();

        /** The checkpoint the projection stored, after its last round. */
        abstract long checkpoint();

        /** The position of the log's last event, as this contender numbers it. */
        abstract long last();

        long rows() {
            return rows;
        }

        /** Exactly one row per event, at the events' positions, with their amounts; the checkpoint at the last. */
        private void check() {
            Map<String, Object> found = jdbc.queryForMap("select count(*) as n, count(distinct position) as d, "
                    + "coalesce(sum(amount), 0) as a, coalesce(max(position), 0) as m from " + table);
            rows = ((Number) found.get("n")).longValue();
            long distinct = ((Number) found.get("d")).longValue();
            long sum = ((Number) found.get("a")).longValue();
            long highest = ((Number) found.get("m")).longValue();
            if (rows != events || distinct != events || sum != amounts || highest != last()) {
                throw new IllegalStateException(String.format("P1 %s: %s holds %,d rows (%,d positions, up to %,d, "
                        + "amounts %,d); expected one per event: %,d (up to %,d, amounts %,d)", name(), table, rows,
                        distinct, highest, sum, events, last(), amounts));
            }
            long checkpoint = checkpoint();
            if (checkpoint != last()) {
                throw new IllegalStateException("P1 " + name() + ": checkpoint at " + checkpoint + ", not at the last "
                        + "event " + last());
            }
        }

        /** Waits until the transaction of the last event committed; the seconds from {@code startNanos}. */
        static double await(CountDownLatch done, long startNanos, int events, String name) {
            try {
                if (!done.await(120 + events / 100, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("P1 " + name + " did not reach the last event in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return (System.nanoTime() - startNanos) / 1e9;
        }

        /** Counts {@code done} down when the current Spring transaction commits. */
        static void afterCommit(CountDownLatch done) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    done.countDown();
                }
            });
        }
    }

    /** The event store's projection runners, one projection, its handler taking events or lists of them. */
    private static final class EventStoreProjection extends Contender {

        private final EventStoreContender eventStore;
        private final long last;
        private final boolean lists;

        EventStoreProjection(EventStoreContender eventStore, DataSource dataSource, int events, long amounts,
                boolean lists) {
            super(dataSource, "es_balance_row", events, amounts);
            this.eventStore = eventStore;
            this.last = eventStore.store().position().map(Position::value).orElse(0L);
            this.lists = lists;
        }

        @Override
        String name() {
            return lists ? EVENT_STORE_LISTS : EVENT_STORE;
        }

        @Override
        long last() {
            return last;
        }

        @Override
        double catchUp() {
            jdbc.update("delete from es_projection where name = ?", NAME);
            JpaEventStorage storage = eventStore.storage();
            CountDownLatch done = new CountDownLatch(1);
            JdbcTemplate writes = new JdbcTemplate(storage.dataSource());
            Object balances = lists ? new BatchedBalances(writes, last, done) : new Balances(writes, last, done);
            ProjectionRunners runners = new ProjectionRunners(eventStore.store(), storage.dataSource(),
                    storage.transactionManager(), SETTINGS, List.of(balances), false);
            long start = System.nanoTime();
            runners.start();
            try {
                return events / await(done, start, events, name());
            } finally {
                runners.stop();
            }
        }

        @Override
        long checkpoint() {
            return jdbc.queryForObject("select position from es_projection where name = ?", Long.class, NAME);
        }
    }

    /** The event store's projection bean, as an application writes one. */
    @Projection(name = NAME, batchSize = BATCH_SIZE)
    public static final class Balances {

        private final JdbcTemplate jdbc;
        private final long last;
        private final CountDownLatch done;

        Balances(JdbcTemplate jdbc, long last, CountDownLatch done) {
            this.jdbc = jdbc;
            this.last = last;
            this.done = done;
        }

        @ProjectionHandler
        public void on(RecordedEvent<MoneyDeposited> deposited) {
            MoneyDeposited event = deposited.event();
            long position = deposited.position().value();
            jdbc.update("insert into es_balance_row (position, account, amount) values (?, ?, ?)", position,
                    event.accountId(), event.amountInCents());
            if (position == last) {
                Contender.afterCommit(done);
            }
        }
    }

    /** The same projection with a handler of lists: one JDBC batch of inserts per batch of events. */
    @Projection(name = NAME, batchSize = BATCH_SIZE)
    public static final class BatchedBalances {

        private final JdbcTemplate jdbc;
        private final long last;
        private final CountDownLatch done;

        BatchedBalances(JdbcTemplate jdbc, long last, CountDownLatch done) {
            this.jdbc = jdbc;
            this.last = last;
            this.done = done;
        }

        @ProjectionHandler
        public void on(List<RecordedEvent<MoneyDeposited>> deposits) {
            jdbc.batchUpdate("insert into es_balance_row (position, account, amount) values (?, ?, ?)", deposits,
                    deposits.size(), (insert, deposited) -> {
                        insert.setLong(1, deposited.position().value());
                        insert.setString(2, deposited.event().accountId());
                        insert.setLong(3, deposited.event().amountInCents());
                    });
            if (deposits.get(deposits.size() - 1).position().value() == last) {
                Contender.afterCommit(done);
            }
        }
    }

    /** Axon's tracking event processor, single-threaded, its token in the JPA token store. */
    private static final class AxonProcessor extends Contender {

        private final AxonContender axon;
        private final JpaTokenStore tokenStore;
        private final long last;

        AxonProcessor(AxonContender axon, DataSource dataSource, int events, long amounts) {
            super(dataSource, "axon_balance_row", events, amounts);
            this.axon = axon;
            this.tokenStore = JpaTokenStore.builder().entityManagerProvider(axon.entityManagerProvider())
                    .serializer(axon.serializer()).build();
            this.last = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
        }

        @Override
        String name() {
            return AXON;
        }

        @Override
        long last() {
            return last;
        }

        @Override
        double catchUp() {
            jdbc.update("delete from token_entry where processor_name = ?", NAME);
            CountDownLatch done = new CountDownLatch(1);
            TrackingEventProcessor processor = TrackingEventProcessor.builder()
                    .name(NAME)
                    .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                            .eventHandlers(new AxonBalances(jdbc, last, done)).build())
                    .messageSource(axon.eventStore())
                    .tokenStore(tokenStore)
                    .transactionManager(axon.transactions())
                    .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration
                            .forSingleThreadedProcessing()
                            .andBatchSize(BATCH_SIZE)
                            .andInitialTrackingToken(StreamableMessageSource::createTailToken))
                    .build();
            long start = System.nanoTime();
            processor.start();
            try {
                return events / await(done, start, events, name());
            } finally {
                processor.shutDown();
            }
        }

        @Override
        long checkpoint() {
            TrackingToken token = axon.transactions().fetchInTransaction(() -> tokenStore.fetchToken(NAME, 0));
            return token == null ? -1 : token.position().orElse(-1);
        }
    }

    /** Axon's event handler, as an application writes one. */
    public static final class AxonBalances {

        private final JdbcTemplate jdbc;
        private final long last;
        private final CountDownLatch done;

        AxonBalances(JdbcTemplate jdbc, long last, CountDownLatch done) {
            this.jdbc = jdbc;
            this.last = last;
            this.done = done;
        }

        @EventHandler
        public void on(MoneyDeposited event, TrackingToken token) {
            long position = token.position().orElseThrow();
            jdbc.update("insert into axon_balance_row (position, account, amount) values (?, ?, ?)", position,
                    event.accountId(), event.amountInCents());
            if (position == last) {
                Contender.afterCommit(done);
            }
        }
    }

    /**
     * The hand-written loop: on one connection, a page of the event store's log read in autocommit mode with the
     * store's query, payloads and contexts deserialized with Jackson 3, then one transaction that inserts the
     * page's rows in a JDBC batch and moves the checkpoint row.
     */
    private static final class JdbcLoop extends Contender {

        private final DataSource dataSource;
        private final String readLog;
        private final JsonMapper mapper = JsonMapper.builder().build();
        private final long last;

        JdbcLoop(DataSource dataSource, String readLog, int events, long amounts) {
            super(dataSource, "jdbc_balance_row", events, amounts);
            this.dataSource = dataSource;
            this.readLog = readLog;
            this.last = jdbc.queryForObject("select coalesce(max(position), 0) from es_log", Long.class);
        }

        @Override
        String name() {
            return JDBC_LOOP;
        }

        @Override
        long last() {
            return last;
        }

        /** An event as read: what a handler gets. */
        private record Read(long position, String tenantId, UUID streamRow, long version, UUID uuid, String type,
                int schemaVersion, MoneyDeposited event, Map<?, ?> context, OffsetDateTime createdAt) {
        }

        @Override
        double catchUp() {
            jdbc.update("delete from jdbc_projection where name = ?", NAME);
            jdbc.update("insert into jdbc_projection (name, position) values (?, 0)", NAME);
            long start = System.nanoTime();
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement read = connection.prepareStatement(readLog);
                    PreparedStatement insert = connection.prepareStatement(
                            "insert into jdbc_balance_row (position, account, amount) values (?, ?, ?)");
                    PreparedStatement checkpoint = connection.prepareStatement(
                            "update jdbc_projection set position = ? where name = ?");
                    PreparedStatement current = connection.prepareStatement(
                            "select position from jdbc_projection where name = ?")) {
                connection.setAutoCommit(true);
                long position;
                current.setString(1, NAME);
                try (ResultSet row = current.executeQuery()) {
                    row.next();
                    position = row.getLong(1);
                }
                read.setFetchSize(BATCH_SIZE);
                while (position < last) {
                    read.setLong(1, position);
                    read.setString(2, "MoneyDeposited");
                    read.setInt(3, BATCH_SIZE);
                    List<Read> page = new ArrayList<>(BATCH_SIZE);
                    try (ResultSet row = read.executeQuery()) {
                        while (row.next()) {
                            page.add(new Read(row.getLong(1), row.getString(2), row.getObject(3, UUID.class),
                                    row.getLong(4), row.getObject(5, UUID.class), row.getString(6), row.getInt(7),
                                    mapper.readValue(row.getString(8), MoneyDeposited.class),
                                    mapper.readValue(row.getString(9), Map.class),
                                    row.getObject(10, OffsetDateTime.class)));
                        }
                    }
                    if (page.isEmpty()) {
                        throw new IllegalStateException("P1 JDBC loop: the log ended at " + position);
                    }
                    connection.setAutoCommit(false);
                    for (Read event : page) {
                        insert.setLong(1, event.position());
                        insert.setString(2, event.event().accountId());
                        insert.setLong(3, event.event().amountInCents());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    position = page.get(page.size() - 1).position();
                    checkpoint.setLong(1, position);
                    checkpoint.setString(2, NAME);
                    checkpoint.executeUpdate();
                    connection.commit();
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("P1 JDBC loop failed", e);
            }
            return events / ((System.nanoTime() - start) / 1e9);
        }

        @Override
        long checkpoint() {
            return jdbc.queryForObject("select position from jdbc_projection where name = ?", Long.class, NAME);
        }
    }
}

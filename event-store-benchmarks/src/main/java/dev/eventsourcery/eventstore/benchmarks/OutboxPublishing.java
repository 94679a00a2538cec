package dev.eventsourcery.eventstore.benchmarks;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.amqp.OutboxRoutingKey;
import dev.eventsourcery.eventstore.amqp.RabbitOutboxPublisher;
import dev.eventsourcery.eventstore.amqp.UnroutablePolicy;
import dev.eventsourcery.eventstore.benchmarks.DeliveryLatency.Figures;
import dev.eventsourcery.eventstore.serialization.JacksonEventSerializer;
import dev.eventsourcery.eventstore.spring.outbox.Outbox;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublisher;
import dev.eventsourcery.eventstore.spring.outbox.OutboxSettings;
import dev.eventsourcery.eventstore.spring.projection.ProjectionRunners;
import dev.eventsourcery.eventstore.spring.projection.ProjectionSettings;
import dev.eventsourcery.eventstore.spring.projection.StartPosition;

/**
 * O1, the outbox publishing to RabbitMQ, on tables of its own (as P1): (a) a log of {@code bench.outboxEvents}
 * committed events (written with server-side SQL, as P1's) in each of two shapes, each on new tables: interleaved
 * (appends of {@code bench.outboxAppendSize} events going round {@code bench.outboxStreams} streams, as S7's, so
 * that a batch holds many streams) and stream by stream (streams of 100 one after the other, so that a batch holds
 * one stream: the worst case for keeping each stream's order). Three contenders publish all of it to a new topic
 * exchange bound to one queue, with publisher confirms, from their start until the last confirm: the event store's
 * outbox (its {@link RabbitOutboxPublisher} run by the starter's {@link ProjectionRunners}, batches of 100) and a
 * hand-written Spring AMQP loop (the store's log query in pages of 100, the same messages, one channel per page,
 * every confirm awaited, then a checkpoint row moved in a transaction) in two forms: keeping each stream's order
 * as the outbox does (a stream's next message only once its previous one is confirmed, other streams' messages
 * going ahead meanwhile), and pipelined (the whole page sent, then the confirms awaited), which keeps no order
 * when RabbitMQ refuses a message: the broker's speed without that guarantee. (b) With the outbox running on the
 * starter's defaults, single appends at a moderate pace; a listener container records each message's arrival
 * after its append began.
 */
final class OutboxPublishing {

    static final String OUTBOX = "event store outbox";
    static final String LOOP_IN_ORDER = "Spring AMQP loop, in stream order";
    static final String LOOP_PIPELINED = "Spring AMQP loop, pipelined";

    /** Events per batch, page and transaction: the starter's default ({@code event-store.outbox.batch-size}). */
    static final int BATCH_SIZE = 100;

    /** The starter's defaults ({@code event-store.projections.*}), an instance id of the benchmark's. */
    private static final ProjectionSettings SETTINGS = new ProjectionSettings("benchmark", BATCH_SIZE, 3,
            Duration.ofSeconds(1), 2, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), 10_000);

    /** The starter's confirm time-out ({@code event-store.outbox.confirm-timeout}). */
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

    /** The store's log read ({@code LogRows.read}) as the outbox's subscription sends it: no filter. */
    private static final String READ_LOG = "select l.position, l.tenant_id, e.stream_id, e.version, e.event_uuid, "
            + "e.event_type, e.schema_version, e.payload, e.context, e.created_at from es_log l "
            + "join es_event e on e.seq = l.seq where l.position > ? order by l.position limit ?";

    /** How the streams' events follow one another in the published log. */
    enum LogShape {

        /** Appends of a few events going round many streams: a batch holds many streams' runs of events. */
        INTERLEAVED("interleaved"),

        /** One stream's events after the other's: a batch holds one stream, whose messages wait for each other. */
        STREAM_BY_STREAM("stream by stream");

        private final String title;

        LogShape(String title) {
            this.title = title;
        }

        /** The shape's name in the report and the progress lines. */
        String title() {
            return title;
        }
    }

    /**
     * O1 (a) on one log shape.
     *
     * @param streams streams in the log
     * @param appendSize events per append: the length of a stream's runs in the log
     * @param streamsPerBatch streams in the log's first batch
     * @param medians messages/s by contender, medians of the measured rounds
     */
    record ShapeResult(int streams, int appendSize, int streamsPerBatch, Map<String, Double> medians) {

        double of(String contender) {
            return medians.get(contender);
        }
    }

    /**
     * O1's figures on one database.
     *
     * @param events events in each log, published each round
     * @param shapes (a) by log shape
     * @param latency append-to-consumer latencies with the outbox running
     * @param latencySamples the measured appends of (b)
     */
    record Result(int events, Map<LogShape, ShapeResult> shapes, Figures latency, int latencySamples) {

        ShapeResult of(LogShape shape) {
            return shapes.get(shape);
        }
    }

    /** The exchange and queue of the run, and the connection factories that publish to and read them. */
    private record Broker(RabbitAdmin admin, String exchange, String queue, CachingConnectionFactory outbox,
            CachingConnectionFactory loop, CachingConnectionFactory plain) {
    }

    private final Database database;
    private final Settings settings;
    private final PrintStream progress;

    OutboxPublishing(Database database, Settings settings, PrintStream progress) {
        this.database = database;
        this.settings = settings;
        this.progress = progress;
    }

    /** The broker's connection factory for {@code bench.rabbitmq.*}, without confirms. */
    static CachingConnectionFactory connectionFactory(Settings settings, String name) {
        CachingConnectionFactory factory = new CachingConnectionFactory(settings.rabbitHost(), settings.rabbitPort());
        factory.setUsername(settings.rabbitUser());
        factory.setPassword(settings.rabbitPassword());
        factory.setConnectionNameStrategy(f -> name);
        return factory;
    }

    /** Why the broker cannot be reached, or empty when it can. */
    static Optional<String> unreachable(Settings settings) {
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost(settings.rabbitHost());
        factory.setPort(settings.rabbitPort());
        factory.setUsername(settings.rabbitUser());
        factory.setPassword(settings.rabbitPassword());
        factory.setConnectionTimeout(3000);
        try (com.rabbitmq.client.Connection connection = factory.newConnection("benchmarks-o1-probe")) {
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of(e.toString());
        }
    }

    /**
     * Runs O1: (a) on each log shape in turn, each on a new schema with a pool, persistence unit and event store of
     * its own; (b) after (a) on the stream-by-stream log's tables, where it always ran.
     */
    Result run() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String exchange = "bench-o1-" + suffix;
        Queue queue = new Queue("bench-o1-" + suffix, true, false, false);
        CachingConnectionFactory plain = connectionFactory(settings, "benchmarks-o1-admin");
        CachingConnectionFactory outboxConnections = confirming("event-store-outbox");
        CachingConnectionFactory loopConnections = confirming("benchmarks-o1-loop");
        RabbitAdmin admin = new RabbitAdmin(plain);
        try {
            TopicExchange topic = new TopicExchange(exchange, true, false);
            admin.declareExchange(topic);
            admin.declareQueue(queue);
            Binding binding = BindingBuilder.bind(queue).to(topic).with("#");
            admin.declareBinding(binding);
            Broker broker = new Broker(admin, exchange, queue.getName(), outboxConnections, loopConnections, plain);

            Map<LogShape, ShapeResult> shapes = new EnumMap<>(LogShape.class);
            Figures latency = null;
            for (LogShape shape : LogShape.values()) {
                try (HikariDataSource dataSource = database.dataSource("benchmarks-" + database.platform() + "-o1")) {
                    database.recreateSchema(dataSource);
                    try (PersistenceUnit unit = PersistenceUnit.on(database, dataSource);
                            EventStoreContender eventStore = new EventStoreContender(unit, database, dataSource)) {
                        shapes.put(shape, publish(shape, dataSource, eventStore, broker));
                        if (shape == LogShape.STREAM_BY_STREAM) {
                            latency = latency(eventStore, dataSource, broker);
                            progress.printf("%s O1 (b) append to consumer: median %.1f ms, p99 %.1f ms%n",
                                    database.title(), latency.medianMillis(), latency.p99Millis());
                        }
                    } finally {
                        if (database == Database.H2) {
                            new JdbcTemplate(dataSource).execute("drop all objects");
                        }
                    }
                }
            }
            return new Result(settings.outboxEvents(), shapes, latency, settings.outboxLatencySamples());
        } finally {
            admin.deleteQueue(queue.getName());
            admin.deleteExchange(exchange);
            outboxConnections.destroy();
            loopConnections.destroy();
            plain.destroy();
        }
    }

    /** (a) on one log shape: writes the log, then every contender publishes all of it, round after round. */
    private ShapeResult publish(LogShape shape, DataSource dataSource, EventStoreContender eventStore,
            Broker broker) {
        int events = settings.outboxEvents();
        int streams;
        int appendSize;
        if (shape == LogShape.INTERLEAVED) {
            streams = settings.outboxStreams();
            appendSize = settings.outboxAppendSize();
        } else {
            int perStream = events >= 100 && events % 100 == 0 ? 100 : events;
            streams = events / perStream;
            appendSize = perStream;
        }
        String label = shape.title();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        long start = System.nanoTime();
        eventStore.fill(streams, events / streams, appendSize);
        for (String table : List.of("es_stream", "es_event", "es_log")) {
            database.analyze(jdbc, table);
        }
        database.settle(jdbc);
        long last = eventStore.store().position().map(Position::value).orElse(0L);
        // the shape is what this measures: check that the first batch holds the streams it should
        Integer streamsPerBatch = jdbc.queryForObject("select count(distinct e.stream_id) from es_log l "
                + "join es_event e on e.seq = l.seq where l.position <= ?", Integer.class, BATCH_SIZE);
        int expected = Math.min(streams, (Math.min(BATCH_SIZE, events) + appendSize - 1) / appendSize);
        if (last != events || streamsPerBatch == null || streamsPerBatch != expected) {
            throw new IllegalStateException("O1 " + label + ": the log ends at " + last + " (expected " + events
                    + ") and its first batch holds " + streamsPerBatch + " streams (expected " + expected + ")");
        }
        progress.printf("%s O1 %s: wrote %,d events (%,d streams, appends of %,d, %s per batch) into the event "
                + "store's tables in %.1f s%n", database.title(), label, events, streams, appendSize,
                streamsPerBatch == 1 ? "one stream" : streamsPerBatch + " streams", (System.nanoTime() - start) / 1e9);
        jdbc.execute("create table jdbc_outbox (name varchar(255) primary key, position bigint not null)");

        List<Contender> contenders = List.of(
                new OutboxContender(eventStore, dataSource, broker.outbox(), broker.exchange(), last),
                new LoopContender(dataSource, broker.loop(), broker.exchange(), last, true),
                new LoopContender(dataSource, broker.loop(), broker.exchange(), last, false));
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        int rounds = settings.outboxWarmUpRounds() + settings.outboxRounds();
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder();
            for (int turn = 0; turn < contenders.size(); turn++) {
                Contender contender = contenders.get((turn + round) % contenders.size());
                broker.admin().purgeQueue(broker.queue(), false);
                double seconds = contender.publishAll();
                awaitQueue(broker.admin(), broker.queue(), events, contender.name());
                double figure = events / seconds;
                if (round >= settings.outboxWarmUpRounds()) {
                    figures.computeIfAbsent(contender.name(), name -> new ArrayList<>()).add(figure);
                }
                line.append(String.format("  %s %,.0f", contender.name(), figure));
            }
            progress.printf("%s O1 %s %s %d/%d:%s messages/s%n", database.title(), label,
                    round < settings.outboxWarmUpRounds() ? "warm-up" : "round", round + 1, rounds, line);
        }
        broker.admin().purgeQueue(broker.queue(), false);
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Contender contender : contenders) {
            medians.put(contender.name(), Benchmark.median(figures.get(contender.name())));
        }
        return new ShapeResult(streams, appendSize, streamsPerBatch, medians);
    }

    /** A connection factory with correlated publisher confirms and returns, as the outbox's auto-configuration. */
    private CachingConnectionFactory confirming(String name) {
        CachingConnectionFactory factory = connectionFactory(settings, name);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        return factory;
    }

    /** Waits until the queue holds every message: each contender must have published every event once. */
    private static void awaitQueue(RabbitAdmin admin, String queue, int events, String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long count = -1;
        while (System.nanoTime() < deadline) {
            Properties properties = admin.getQueueProperties(queue);
            count = properties == null ? -1 : ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue();
            if (count == events) {
                return;
            }
            if (count > events) {
                break;
            }
            sleep(50);
        }
        throw new IllegalStateException("O1 " + name + ": the queue holds " + count + " messages, expected " + events);
    }

    /**
     * (b): the outbox on the starter's defaults (start at the log's head, poll time-out 1 s); single appends, each
     * to a stream of its own, a random 5–15 ms apart; a listener container on the queue records each message's
     * arrival. A tenth as many appends before the measured ones warm up and are dropped.
     */
    private Figures latency(EventStoreContender eventStore, DataSource dataSource, Broker broker) {
        CachingConnectionFactory outboxConnections = broker.outbox();
        String exchange = broker.exchange();
        int samples = settings.outboxLatencySamples();
        int warmUp = Math.max(1, samples / 10);
        Map<String, Long> appended = new ConcurrentHashMap<>();
        Map<String, Long> received = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(warmUp + samples);
        DirectMessageListenerContainer container = new DirectMessageListenerContainer(broker.plain());
        container.setQueueNames(broker.queue());
        container.setMessageListener(message -> {
            long now = System.nanoTime();
            if (received.putIfAbsent(message.getMessageProperties().getMessageId(), now) == null) {
                all.countDown();
            }
        });
        container.start();
        RabbitOutboxPublisher publisher = new RabbitOutboxPublisher(outboxConnections, exchange,
                OutboxRoutingKey.of("type"), CONFIRM_TIMEOUT, UnroutablePolicy.FAIL);
        ProjectionRunners runners = new ProjectionRunners(eventStore.store(), dataSource,
                eventStore.storage().transactionManager(), SETTINGS, List.of(Outbox.projection(
                        new OutboxSettings("outbox", Set.of(), Set.of(), Set.of(), StartPosition.NOW, BATCH_SIZE),
                        publisher, new JacksonEventSerializer(), eventStore.registry())), false);
        runners.start();
        List<Double> millis = new ArrayList<>(samples);
        try {
            sleep(1000);
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < warmUp + samples; n++) {
                WrappedEvent<MoneyDeposited> event = WrappedEvent.wrap(MoneyDeposited.number(n));
                String id = event.uuid().toString();
                long before = System.nanoTime();
                appended.put(id, before);
                eventStore.store().append(StreamId.of(UUID.randomUUID()), 0, event);
                ids.add(id);
                sleep(ThreadLocalRandom.current().nextLong(5, 16));
            }
            if (!all.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("O1 (b): only " + received.size() + " of " + (warmUp + samples)
                        + " messages arrived");
            }
            for (String id : ids.subList(warmUp, ids.size())) {
                millis.add((received.get(id) - appended.get(id)) / 1e6);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            runners.stop();
            container.stop();
        }
        return Figures.of(millis.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One way of publishing the whole log. */
    private interface Contender {

        String name();

        /** Resets the checkpoint, publishes every event of the log; the seconds until the last confirm. */
        double publishAll();
    }

    /** The event store's outbox: its projection, run by the starter's runners, with its RabbitMQ publisher. */
    private static final class OutboxContender implements Contender {

        private final EventStoreContender eventStore;
        private final DataSource dataSource;
        private final JdbcTemplate jdbc;
        private final RabbitOutboxPublisher publisher;
        private final long last;

        OutboxContender(EventStoreContender eventStore, DataSource dataSource, CachingConnectionFactory connections,
                String exchange, long last) {
            this.eventStore = eventStore;
            this.dataSource = dataSource;
            this.jdbc = new JdbcTemplate(dataSource);
            this.publisher = new RabbitOutboxPublisher(connections, exchange, OutboxRoutingKey.of("type"),
                    CONFIRM_TIMEOUT, UnroutablePolicy.FAIL);
            this.last = last;
        }

        @Override
        public String name() {
            return OUTBOX;
        }

        @Override
        public double publishAll() {
            jdbc.update("delete from es_projection where name = ?", "o1");
            CountDownLatch done = new CountDownLatch(1);
            long[] confirmed = new long[1];
            // the real publisher; this only notes when it returned for the batch of the last event, all confirmed
            OutboxPublisher timed = messages -> {
                publisher.publish(messages);
                if (messages.get(messages.size() - 1).position() == last) {
                    confirmed[0] = System.nanoTime();
                    done.countDown();
                }
            };
            ProjectionRunners runners = new ProjectionRunners(eventStore.store(), dataSource,
                    eventStore.storage().transactionManager(), SETTINGS, List.of(Outbox.projection(
                            new OutboxSettings("o1", Set.of(), Set.of(), Set.of(), StartPosition.BEGINNING, BATCH_SIZE),
                            timed, new JacksonEventSerializer(), eventStore.registry())), false);
            long start = System.nanoTime();
            runners.start();
            try {
                if (!done.await(120 + last / 100, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("O1 outbox did not publish the last event in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                runners.stop();
            }
            Long checkpoint = jdbc.queryForObject("select position from es_projection where name = ?", Long.class,
                    "o1");
            if (checkpoint == null || checkpoint != last) {
                throw new IllegalStateException("O1 outbox: checkpoint at " + checkpoint + ", not at " + last);
            }
            return (confirmed[0] - start) / 1e9;
        }
    }

    /**
     * The hand-written loop: on one connection, a page of the log read in autocommit mode with the store's query
     * (stream identities read once per stream row and kept, as the store does), the same messages as the
     * outbox's built from the stored JSON, all of a page sent on one channel with correlated confirms and
     * {@code mandatory}, every confirm awaited (and checked: acknowledged, not returned), then one transaction
     * that moves the checkpoint row. In stream order, a stream's next message is sent only once RabbitMQ confirmed
     * its previous one, the messages of other streams going ahead meanwhile, as the outbox's publisher does;
     * pipelined, the whole page is sent before the first confirm is awaited.
     */
    private final class LoopContender implements Contender {

        private final DataSource dataSource;
        private final JdbcTemplate jdbc;
        private final RabbitTemplate template;
        private final String exchange;
        private final long last;
        private final boolean inStreamOrder;
        private final JacksonEventSerializer serializer = new JacksonEventSerializer();
        private final Map<UUID, StreamId> streams = new HashMap<>();

        LoopContender(DataSource dataSource, CachingConnectionFactory connections, String exchange, long last,
                boolean inStreamOrder) {
            this.dataSource = dataSource;
            this.jdbc = new JdbcTemplate(dataSource);
            this.template = new RabbitTemplate(connections);
            template.setMandatory(true);
            template.setReturnsCallback(returned -> {
            });
            this.exchange = exchange;
            this.last = last;
            this.inStreamOrder = inStreamOrder;
        }

        @Override
        public String name() {
            return inStreamOrder ? LOOP_IN_ORDER : LOOP_PIPELINED;
        }

        /** An event as read. */
        private record Read(long position, String tenantId, UUID streamRow, long version, UUID uuid, String type,
                int schemaVersion, String payload, Context context, OffsetDateTime createdAt) {
        }

        @Override
        public double publishAll() {
            jdbc.update("delete from jdbc_outbox where name = ?", "o1");
            jdbc.update("insert into jdbc_outbox (name, position) values (?, 0)", "o1");
            long start = System.nanoTime();
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement read = connection.prepareStatement(READ_LOG);
                    PreparedStatement checkpoint = connection.prepareStatement(
                            "update jdbc_outbox set position = ? where name = ?");
                    PreparedStatement current = connection.prepareStatement(
                            "select position from jdbc_outbox where name = ?")) {
                connection.setAutoCommit(true);
                long position;
                current.setString(1, "o1");
                try (ResultSet row = current.executeQuery()) {
                    row.next();
                    position = row.getLong(1);
                }
                read.setFetchSize(BATCH_SIZE);
                while (position < last) {
                    read.setLong(1, position);
                    read.setInt(2, BATCH_SIZE);
                    List<Read> page = new ArrayList<>(BATCH_SIZE);
                    try (ResultSet row = read.executeQuery()) {
                        while (row.next()) {
                            page.add(new Read(row.getLong(1), row.getString(2), row.getObject(3, UUID.class),
                                    row.getLong(4), row.getObject(5, UUID.class), row.getString(6), row.getInt(7),
                                    row.getString(8), serializer.deserializeContext(row.getString(9)),
                                    row.getObject(10, OffsetDateTime.class)));
                        }
                    }
                    if (page.isEmpty()) {
                        throw new IllegalStateException("O1 loop: the log ended at " + position);
                    }
                    identify(connection, page);
                    publish(page);
                    position = page.get(page.size() - 1).position();
                    connection.setAutoCommit(false);
                    checkpoint.setLong(1, position);
                    checkpoint.setString(2, "o1");
                    checkpoint.executeUpdate();
                    connection.commit();
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("O1 loop failed", e);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Long stored = jdbc.queryForObject("select position from jdbc_outbox where name = ?", Long.class, "o1");
            if (stored == null || stored != last) {
                throw new IllegalStateException("O1 loop: checkpoint at " + stored + ", not at " + last);
            }
            return seconds;
        }

        /** Reads the identities of the page's streams not yet known, with the store's query. */
        private void identify(Connection connection, List<Read> page) throws SQLException {
            Set<UUID> missing = new LinkedHashSet<>();
            for (Read event : page) {
                if (!streams.containsKey(event.streamRow())) {
                    missing.add(event.streamRow());
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            String sql = "select id, stream_uuid, name, category from es_stream " + (database == Database.POSTGRESQL
                    ? "where id = any(?)" : "join table(x uuid = ?) r on r.x = id");
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (database == Database.POSTGRESQL) {
                    statement.setArray(1, connection.createArrayOf("uuid", missing.toArray()));
                } else {
                    statement.setObject(1, missing.toArray(new UUID[0]));
                }
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        String category = row.getString(4);
                        streams.put(row.getObject(1, UUID.class), new StreamId(row.getObject(2, UUID.class),
                                row.getString(3), category.isEmpty() ? null : category));
                    }
                }
            }
        }

        /** A message sent, and the correlation its confirm arrives on. */
        private record Sent(Read event, CorrelationData correlation) {
        }

        private void publish(List<Read> page) {
            long deadline = System.nanoTime() + CONFIRM_TIMEOUT.toNanos();
            if (inStreamOrder) {
                publishInStreamOrder(page, deadline);
            } else {
                publishPipelined(page, deadline);
            }
        }

        /** Sends the whole page on one channel, then awaits and checks every confirm. */
        private void publishPipelined(List<Read> page, long deadline) {
            List<Sent> sent = new ArrayList<>(page.size());
            template.invoke(operations -> {
                for (Read event : page) {
                    sent.add(send(operations, event));
                }
                return null;
            });
            for (Sent message : sent) {
                check(message, deadline);
            }
        }

        /**
         * Sends the page on one channel, a stream's next message only once its previous one's confirm arrived and
         * was checked, the messages of other streams sent meanwhile: the confirms are awaited in the order sent,
         * as they arrive on a channel.
         */
        private void publishInStreamOrder(List<Read> page, long deadline) {
            template.invoke(operations -> {
                // the streams with a message awaiting its confirm, each with its later messages of the page
                Map<UUID, Deque<Read>> waiting = new HashMap<>();
                Deque<Sent> unconfirmed = new ArrayDeque<>();
                for (Read event : page) {
                    Deque<Read> later = waiting.get(event.streamRow());
                    if (later != null) {
                        later.addLast(event);
                    } else {
                        waiting.put(event.streamRow(), new ArrayDeque<>());
                        unconfirmed.addLast(send(operations, event));
                    }
                }
                while (!unconfirmed.isEmpty()) {
                    Sent confirmed = unconfirmed.removeFirst();
                    check(confirmed, deadline);
                    Deque<Read> later = waiting.get(confirmed.event().streamRow());
                    if (later.isEmpty()) {
                        waiting.remove(confirmed.event().streamRow());
                    } else {
                        unconfirmed.addLast(send(operations, later.removeFirst()));
                    }
                }
                return null;
            });
        }

        private Sent send(RabbitOperations operations, Read event) {
            CorrelationData correlation = new CorrelationData();
            operations.send(exchange, event.type(), message(event), correlation);
            return new Sent(event, correlation);
        }

        /** Awaits a message's confirm, by the page's deadline, and checks it: acknowledged, not returned. */
        private static void check(Sent sent, long deadline) {
            CorrelationData.Confirm confirm;
            try {
                confirm = sent.correlation().getFuture().get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("O1 loop: no confirm", e);
            }
            if (!confirm.ack() || sent.correlation().getReturned() != null) {
                throw new IllegalStateException("O1 loop: a message was refused or returned");
            }
        }

        /** The outbox's message of the event (see {@link RabbitOutboxPublisher}), its body the stored JSON. */
        private Message message(Read event) {
            StreamId stream = streams.get(event.streamRow());
            MessageProperties properties = new MessageProperties();
            String id = event.uuid().toString();
            properties.setMessageId(id);
            properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
            properties.setContentEncoding("UTF-8");
            properties.setType(event.type());
            properties.setTimestamp(Date.from(event.createdAt().toInstant()));
            properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
            properties.setHeader("event-id", id);
            properties.setHeader("event-type", event.type());
            properties.setHeader("stream-id", stream.uuid().toString());
            if (stream.name() != null) {
                properties.setHeader("stream-name", stream.name());
            }
            if (stream.category() != null) {
                properties.setHeader("category", stream.category());
            }
            if (!event.tenantId().isEmpty()) {
                properties.setHeader("tenant", event.tenantId());
            }
            properties.setHeader("version", event.version());
            properties.setHeader("position", event.position());
            properties.setHeader("created-at", event.createdAt().toInstant().toString());
            if (event.context().correlationId() != null) {
                properties.setHeader("correlation-id", event.context().correlationId().toString());
            }
            if (event.context().causationId() != null) {
                properties.setHeader("causation-id", event.context().causationId().toString());
            }
            return new Message(event.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8), properties);
        }
    }

}

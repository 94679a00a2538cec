package dev.eventsourcery.eventstore.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.benchmarks.DeliveryLatency.Figures;

/**
 * Runs the scenarios of issues 5 and 10 on the event store, Axon Framework's JPA event store and raw JDBC
 * (and, when configured, the event store of an earlier build), on every configured database, and prints
 * Markdown tables of medians and ratios.
 *
 * <p>On each database all contenders share one connection pool (and the ORM contenders one persistence
 * unit), and take turns: every round of a scenario runs each contender once, in an order that rotates from
 * round to round, so that a slow spell of the machine hits them alike. Warm-up rounds are dropped; the table
 * shows the median of the measured ones. On a new schema S7 runs first, since it reads logs that must hold
 * nothing but its own events; then S1–S5, the memory of a load, S6 on the grown tables, and S8. On MariaDB
 * only the event store's S8 runs; {@code -Dbench.only=appends} runs S1–S5 and S7 alone, for before-and-after
 * ratios with more rounds. P1, the projection catch-up, follows on H2 and PostgreSQL as a step of its
 * own, on new tables ({@link ProjectionCatchUp}); {@code -Dbench.only=projection} runs it alone. O1, the outbox
 * publishing to RabbitMQ, follows P1 the same way ({@link OutboxPublishing}; {@code -Dbench.only=outbox}), when the
 * broker is reachable. The aggregates step follows O1 the same way ({@link AggregatesAndUpcasting};
 * {@code -Dbench.only=aggregates}): loads that upcast every event (S4 upcast) and commands through the aggregate
 * repository beside the same commands by hand (S9).
 *
 * <p>Run {@code java -jar event-store-benchmarks.jar} (add {@code -Dbench.smoke=true} for the seconds-long
 * smoke run on H2); {@link Settings} lists the other {@code -Dbench.…} properties.
 */
public final class Benchmark {

    private final Settings settings;
    private final PrintStream progress;

    Benchmark(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs the benchmark the system properties describe and prints the table to standard output. */
    public static void main(String[] args) throws IOException {
        // Hibernate logs through SLF4J, which this tool binds to nothing: the table is the output
        System.setProperty("org.jboss.logging.provider", "slf4j");
        Settings settings = Settings.fromSystemProperties();
        String report = new Benchmark(settings, System.err).run();
        System.out.println(report);
        String output = System.getProperty("bench.output");
        if (output != null) {
            Files.writeString(Path.of(output), report);
        }
        // Hibernate's and Axon's pools and schedulers must not keep the JVM alive
        System.exit(0);
    }

    /** Runs every database in turn; the report of those that were reachable. */
    String run() {
        List<DatabaseResult> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        // O1 needs the broker: without it O1 is left out, with a warning
        String noBroker = null;
        if (settings.runs("outbox")) {
            noBroker = OutboxPublishing.unreachable(settings).orElse(null);
            if (noBroker != null) {
                String where = settings.rabbitHost() + ":" + settings.rabbitPort();
                progress.println("WARNING: O1 SKIPPED, RabbitMQ unreachable at " + where + ": " + noBroker);
                skipped.add("O1, the outbox publishing to RabbitMQ (RabbitMQ unreachable at " + where + ": "
                        + noBroker + ")");
            }
        }
        for (Database database : settings.databases()) {
            String unreachable = database.unreachable().orElse(null);
            if (unreachable != null) {
                progress.println("WARNING: " + database.title() + " SKIPPED, unreachable at " + database.url() + ": "
                        + unreachable);
                skipped.add(database.title() + " (unreachable at " + database.url() + ")");
                continue;
            }
            if (!database.runsEveryScenario() && settings.stepOnly()) {
                skipped.add(database.title() + " (P1, O1 and the aggregates step run on H2 and PostgreSQL only)");
                continue;
            }
            DatabaseResult result;
            if (settings.stepOnly() && (settings.runs("appends") || settings.runs("writers"))) {
                result = run(database);
            } else if (settings.stepOnly()) {
                String description;
                try (HikariDataSource dataSource = database.dataSource()) {
                    description = database.describe(dataSource);
                }
                result = new DatabaseResult(database, description, List.of(), Map.of(), List.of(), null, List.of(),
                        null, null, null);
            } else {
                result = run(database);
            }
            if (database.runsEveryScenario() && settings.runs("projection")) {
                // a step of its own, on new tables: the log must begin with P1's events
                ProjectionCatchUp.Result projection = new ProjectionCatchUp(database, settings, progress).run();
                progress.printf("%s P1 medians: event store %,.0f (list handler %,.0f), Axon %,.0f, JDBC loop %,.0f "
                        + "events/s%n", database.title(), projection.of(ProjectionCatchUp.EVENT_STORE),
                        projection.of(ProjectionCatchUp.EVENT_STORE_LISTS), projection.of(ProjectionCatchUp.AXON),
                        projection.of(ProjectionCatchUp.JDBC_LOOP));
                result = result.withProjection(projection);
            }
            if (database.runsEveryScenario() && settings.runs("outbox") && noBroker == null) {
                // after P1, on new tables again: the outbox publishes exactly the events O1 wrote
                OutboxPublishing.Result outbox = new OutboxPublishing(database, settings, progress).run();
                for (OutboxPublishing.LogShape shape : OutboxPublishing.LogShape.values()) {
                    OutboxPublishing.ShapeResult figures = outbox.of(shape);
                    progress.printf("%s O1 medians, %s: outbox %,.0f, loop in stream order %,.0f, pipelined loop "
                            + "%,.0f messages/s%n", database.title(), shape.title(),
                            figures.of(OutboxPublishing.OUTBOX), figures.of(OutboxPublishing.LOOP_IN_ORDER),
                            figures.of(OutboxPublishing.LOOP_PIPELINED));
                }
                result = result.withOutbox(outbox);
            }
            if (database.runsEveryScenario() && settings.runs("aggregates")) {
                // after O1, on new tables again: its rounds measure nothing but its own streams
                AggregatesAndUpcasting.Result aggregates = new AggregatesAndUpcasting(database, settings, progress).run();
                progress.printf("%s S4 upcast medians: as in S4 %,.1f, stored at version 2 %,.1f, upcast from version 1 "
                        + "%,.1f ms/load (upcast %.2f× the load at version 2); S9 medians: by hand %,.1f, repository "
                        + "%,.1f µs/command (repository %.2f× by hand)%n", database.title(),
                        aggregates.load(AggregatesAndUpcasting.AS_IS), aggregates.load(AggregatesAndUpcasting.CURRENT),
                        aggregates.load(AggregatesAndUpcasting.UPCAST), aggregates.upcastCost(),
                        aggregates.command(AggregatesAndUpcasting.BY_HAND),
                        aggregates.command(AggregatesAndUpcasting.REPOSITORY), aggregates.repositoryCost());
                result = result.withAggregates(aggregates);
            }
            results.add(result);
        }
        return new Report(settings, results, skipped).render();
    }

    private DatabaseResult run(Database database) {
        try (HikariDataSource dataSource = database.dataSource()) {
            database.recreateSchema(dataSource);
            String description = database.describe(dataSource);
            progress.println("== " + description);
            // closed in reverse order: the event store's threads stop before the persistence unit closes
            try (PersistenceUnit unit = PersistenceUnit.on(database, dataSource);
                    EventStoreContender eventStore = new EventStoreContender(unit, database, dataSource)) {
                if (!database.runsEveryScenario()) {
                    return new DatabaseResult(database, description, List.of(), Map.of(), List.of(), null,
                            measureLatencies(database, eventStore, null), null, null, null);
                }
                AxonContender axon = new AxonContender(unit, database, dataSource);
                List<Contender> contenders = new ArrayList<>(List.of(eventStore, axon,
                        new JdbcContender(database, dataSource)));
                BaselineContender baseline = settings.baseline() == null ? null
                        : BaselineContender.load(settings.baseline(), unit);
                if (baseline != null) {
                    contenders.add(baseline);
                }
                try {
                    return run(database, description, dataSource, contenders, eventStore, axon);
                } finally {
                    axon.shutDown();
                    if (baseline != null) {
                        baseline.close();
                    }
                }
            } finally {
                if (database == Database.H2) {
                    // the in-memory database would otherwise keep its millions of rows for the rest of the run
                    new JdbcTemplate(dataSource).execute("drop all objects");
                }
            }
        }
    }

    private DatabaseResult run(Database database, String description, HikariDataSource dataSource,
            List<Contender> contenders, EventStoreContender eventStore, AxonContender axon) {
        Scenario newStreams = new Scenario.NewStreamAppends(settings.singleAppends());
        Scenario expectedVersion = new Scenario.ExpectedVersionAppends(settings.singleAppends());
        Scenario batches = new Scenario.BatchAppends(settings.batchAppends());
        Scenario loads = new Scenario.Loads(settings.loadedStreamLength(), settings.loadsPerRound());
        Scenario catchUp = new Scenario.CatchUpReads(settings.logStreams(), settings.logEventsPerStream(),
                settings.logAppendSize());
        Set<String> prepared = new HashSet<>();

        if (settings.runs("writers") && settings.stepOnly()) {
            // bench.only=writers: S5 alone, at every number of writers
            warmUp(database, contenders);
            return new DatabaseResult(database, description, concurrentAppends(database, dataSource, contenders,
                    prepared), Map.of(), List.of(), null, List.of(), null, null, null);
        }
        // first, on the new schema: each contender's log must hold exactly the events S7 wrote into it
        ScenarioResult catchUpResult = measure(database, catchUp, contenders, prepared);

        warmUp(database, contenders);
        List<ScenarioResult> almostEmpty = new ArrayList<>();
        for (Scenario scenario : List.of(newStreams, expectedVersion, batches, loads)) {
            almostEmpty.add(measure(database, scenario, contenders, prepared));
        }
        almostEmpty.addAll(concurrentAppends(database, dataSource, contenders, prepared));
        almostEmpty.add(catchUpResult);
        if (settings.stepOnly()) {
            // bench.only=appends: S1–S5 and S7 alone
            return new DatabaseResult(database, description, almostEmpty, Map.of(), List.of(), null, List.of(), null,
                    null, null);
        }

        Map<String, LoadFootprint> memory = measureMemory(contenders);

        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (Contender contender : contenders) {
            if (contender instanceof BaselineContender) {
                // it shares the event store's tables, which the event store's fill grows
                continue;
            }
            long start = System.nanoTime();
            contender.fill(settings.filledStreams(), settings.filledEventsPerStream());
            for (String table : contender.tables()) {
                database.analyze(jdbc, table);
            }
            database.settle(jdbc);
            progress.printf("%s: filled %,d events into %s's tables in %.1f s%n", database.title(),
                    settings.filledEvents(), contender.name(), (System.nanoTime() - start) / 1e9);
        }
        List<ScenarioResult> grown = new ArrayList<>();
        for (Scenario scenario : List.of(newStreams, expectedVersion, batches, loads)) {
            grown.add(measure(database, scenario, contenders, prepared));
        }
        LogHeap logHeap = LogHeap.measure(eventStore.store());
        progress.printf("%s: read the whole log of %,d events in %.1f s; heap after collections %.1f to %.1f MiB%n",
                database.title(), logHeap.events(), logHeap.seconds(), logHeap.minMiB(), logHeap.maxMiB());
        return new DatabaseResult(database, description, almostEmpty, memory, grown, logHeap,
                measureLatencies(database, eventStore, axon), null, null, null);
    }

    /**
     * S8 on an idle store: (a) the subscriber and the appends in the same instance, the event store's and, when
     * given, Axon's; (b) the appends from another instance of the event store, with a pool and a persistence
     * unit of its own, the subscriber on the first.
     */
    private List<LatencyResult> measureLatencies(Database database, EventStoreContender eventStore,
            @Nullable AxonContender axon) {
        int warmUp = settings.latencyWarmUp();
        int samples = settings.latencySamples();
        EventStore store = eventStore.store();

        UUID stream = UUID.randomUUID();
        Figures sameInstance = DeliveryLatency.measure(DeliveryLatency.subscriber(store, stream),
                n -> store.append(StreamId.of(stream), n, WrappedEvent.wrap(MoneyDeposited.number(n))), warmUp, samples);
        report(database, "S8 (a) event store", sameInstance);
        Figures axonFigures = null;
        if (axon != null) {
            UUID aggregate = UUID.randomUUID();
            axonFigures = DeliveryLatency.measure(axon.subscriber(aggregate),
                    n -> axon.append(aggregate, n, List.of(MoneyDeposited.number(n))), warmUp, samples);
            report(database, "S8 (a) Axon", axonFigures);
        }

        Figures anotherInstance;
        try (HikariDataSource pool = database.dataSource("benchmarks-" + database.platform() + "-another-instance");
                PersistenceUnit unit = PersistenceUnit.ofAnotherInstance(database, pool);
                EventStoreContender another = new EventStoreContender(unit, database, pool)) {
            UUID written = UUID.randomUUID();
            anotherInstance = DeliveryLatency.measure(DeliveryLatency.subscriber(store, written),
                    n -> another.store().append(StreamId.of(written), n, WrappedEvent.wrap(MoneyDeposited.number(n))),
                    warmUp, samples);
        }
        report(database, "S8 (b) event store", anotherInstance);
        return List.of(new LatencyResult(LatencyResult.SAME_INSTANCE, sameInstance, axonFigures),
                new LatencyResult(LatencyResult.ANOTHER_INSTANCE, anotherInstance, null));
    }

    private void report(Database database, String what, Figures figures) {
        progress.printf("%s %s: median %.1f ms, p99 %.1f ms%n", database.title(), what, figures.medianMillis(),
                figures.p99Millis());
    }

    /**
     * Runs every contender's code paths until the JIT has compiled them, before any scenario: the event
     * store's path through Hibernate's query translation takes several thousand appends to get there,
     * more than a scenario's warm-up rounds would give it.
     */
    private void warmUp(Database database, List<Contender> contenders) {
        int appends = database == Database.H2 ? settings.jitWarmUpAppends() : settings.jitWarmUpAppends() / 3;
        int chunk = 500;
        long start = System.nanoTime();
        Map<String, Scenario.StreamAt> streams = new HashMap<>();
        for (Contender contender : contenders) {
            streams.put(contender.name(), new Scenario.StreamAt(Scenario.writeStream(contender, Settings.BATCH),
                    Settings.BATCH));
        }
        for (int done = 0; done < appends; done += chunk) {
            for (Contender contender : contenders) {
                Scenario.StreamAt stream = streams.get(contender.name());
                long version = stream.version();
                for (int i = 0; i < Math.min(chunk, appends - done); i++) {
                    contender.append(UUID.randomUUID(), 0, List.of(MoneyDeposited.number(i)));
                    contender.append(stream.id(), version, List.of(MoneyDeposited.number(version)));
                    version++;
                    if (i % 50 == 0) {
                        contender.append(UUID.randomUUID(), 0, Scenario.events(0, Settings.BATCH));
                        contender.load(stream.id());
                    }
                }
                streams.put(contender.name(), new Scenario.StreamAt(stream.id(), version));
            }
        }
        progress.printf("%s: JIT warm-up, %,d appends per contender, %.1f s%n", database.title(), appends,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * S5 at every number of writers and pool size of {@code bench.writers}, the shared pool resized for each and
     * given back its own size after them.
     */
    private List<ScenarioResult> concurrentAppends(Database database, HikariDataSource dataSource,
            List<Contender> contenders, Set<String> prepared) {
        int size = dataSource.getMaximumPoolSize();
        List<ScenarioResult> results = new ArrayList<>();
        try {
            for (Settings.Writers writers : settings.writers()) {
                resize(dataSource, writers.pool());
                results.add(measure(database, new Scenario.ConcurrentAppends(
                        settings.concurrentAppends(writers.threads()), writers.threads(), writers.pool()), contenders,
                        prepared));
            }
        } finally {
            resize(dataSource, size);
        }
        return results;
    }

    /** Gives the pool every contender shares {@code size} connections, kept open while idle. */
    private static void resize(HikariDataSource dataSource, int size) {
        // HikariCP takes a new size at run time: it opens connections up to it on demand, closes those beyond it
        dataSource.getHikariConfigMXBean().setMaximumPoolSize(size);
        dataSource.getHikariConfigMXBean().setMinimumIdle(size);
    }

    /** Warm-up and measured rounds, contenders taking turns in a rotating order; the medians. */
    private ScenarioResult measure(Database database, Scenario scenario, List<Contender> all, Set<String> prepared) {
        List<Contender> contenders = all.stream().filter(scenario::measures).toList();
        for (Contender contender : contenders) {
            if (prepared.add(scenario.id() + "/" + contender.name())) {
                scenario.prepare(contender);
            }
        }
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        int rounds = settings.warmUpRounds() + settings.measuredRounds();
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder();
            for (int turn = 0; turn < contenders.size(); turn++) {
                Contender contender = contenders.get((turn + round) % contenders.size());
                double figure = scenario.round(contender);
                if (round >= settings.warmUpRounds()) {
                    figures.computeIfAbsent(contender.name(), name -> new ArrayList<>()).add(figure);
                }
                line.append(String.format("  %s %,.1f", contender.name(), figure));
            }
            progress.printf("%s %s %s %d/%d:%s %s%n", database.title(), scenario.id(),
                    round < settings.warmUpRounds() ? "warm-up" : "round", round + 1, rounds, line, scenario.unit().label());
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Contender contender : contenders) {
            medians.put(contender.name(), median(figures.get(contender.name())));
        }
        return new ScenarioResult(scenario, medians);
    }

    /** Each contender loads a long stream of its own a few times, in turns; medians of the footprints. */
    private Map<String, LoadFootprint> measureMemory(List<Contender> contenders) {
        Map<String, UUID> streams = new HashMap<>();
        for (Contender contender : contenders) {
            streams.put(contender.name(), Scenario.writeStream(contender, settings.memoryStreamLength()));
            contender.load(streams.get(contender.name()));
        }
        Map<String, List<LoadFootprint>> footprints = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            for (Contender contender : contenders) {
                LoadFootprint footprint = LoadFootprint.measure(contender, streams.get(contender.name()),
                        settings.memoryStreamLength());
                footprints.computeIfAbsent(contender.name(), name -> new ArrayList<>()).add(footprint);
                progress.printf("memory %s: %,.0f B allocated, %,.0f B retained per event%n", contender.name(),
                        footprint.allocatedBytesPerEvent(), footprint.retainedBytesPerEvent());
            }
        }
        Map<String, LoadFootprint> medians = new LinkedHashMap<>();
        footprints.forEach((name, list) -> medians.put(name, new LoadFootprint(
                median(list.stream().map(LoadFootprint::allocatedBytesPerEvent).toList()),
                median(list.stream().map(LoadFootprint::retainedBytesPerEvent).toList()))));
        return medians;
    }

    /** The median of the figures: the middle one, or the mean of the two middle ones. */
    static double median(List<Double> figures) {
        List<Double> sorted = figures.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The medians of one scenario, by contender name. */
    record ScenarioResult(Scenario scenario, Map<String, Double> medians) {

        double of(String contender) {
            return medians.get(contender);
        }

        boolean has(String contender) {
            return medians.containsKey(contender);
        }
    }

    /**
     * S8's figures of one variant.
     *
     * @param variant {@link #SAME_INSTANCE} or {@link #ANOTHER_INSTANCE}
     * @param eventStore the event store's
     * @param axon Axon's, when measured
     */
    record LatencyResult(String variant, Figures eventStore, @Nullable Figures axon) {

        static final String SAME_INSTANCE = "(a) append in the subscriber's instance";
        static final String ANOTHER_INSTANCE = "(b) append in another instance";
    }

    /**
     * Everything measured on one database; on MariaDB only the latencies; with {@code bench.only=projection}
     * only P1, with {@code bench.only=outbox} only O1, with {@code bench.only=aggregates} only S4 upcast and S9.
     *
     * @param almostEmpty S1–S5 and S7
     * @param grown S1–S4 again on the grown tables (S6)
     * @param projection P1, on tables of its own; {@code null} where it does not run
     * @param outbox O1, on tables of its own; {@code null} where it does not run
     * @param aggregates S4 upcast and S9, on tables of their own; {@code null} where they do not run
     */
    record DatabaseResult(Database database, String description, List<ScenarioResult> almostEmpty,
            Map<String, LoadFootprint> memory, List<ScenarioResult> grown, @Nullable LogHeap logHeap,
            List<LatencyResult> latencies, ProjectionCatchUp.@Nullable Result projection,
            OutboxPublishing.@Nullable Result outbox, AggregatesAndUpcasting.@Nullable Result aggregates) {

        DatabaseResult withProjection(ProjectionCatchUp.Result result) {
            return new DatabaseResult(database, description, almostEmpty, memory, grown, logHeap, latencies, result,
                    outbox, aggregates);
        }

        DatabaseResult withOutbox(OutboxPublishing.Result result) {
            return new DatabaseResult(database, description, almostEmpty, memory, grown, logHeap, latencies,
                    projection, result, aggregates);
        }

        DatabaseResult withAggregates(AggregatesAndUpcasting.Result result) {
            return new DatabaseResult(database, description, almostEmpty, memory, grown, logHeap, latencies,
                    projection, outbox, result);
        }
    }
}

package dev.eventsourcery.eventstore.benchmarks;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Sizes and rounds of a run, from system properties ({@code -Dbench.…}); {@code bench.smoke=true} gives
 * tiny sizes on H2 only, for CI.
 *
 * @param smoke whether this is the smoke run
 * @param databases the databases to run on, in order
 * @param warmUpRounds rounds per scenario whose figures are dropped
 * @param measuredRounds rounds per scenario whose median is reported
 * @param singleAppends S1 and S2: single-event appends per round and contender
 * @param batchAppends S3: 100-event appends per round and contender
 * @param loadedStreamLength S4: events in the loaded stream
 * @param loadsPerRound S4: loads per round and contender
 * @param concurrentAppends S5: appends per round and contender over four writer threads; with more writers
 *     proportionally more, so that each writer appends as many
 * @param writers S5: the writer threads and pool sizes it runs with, each in turn ({@code bench.writers}, as
 *     {@code 4x10,16x10,16x16,64x10,64x32}: threads×connections)
 * @param filledStreams S6: streams written into each contender's tables before the scenarios run again
 * @param filledEventsPerStream S6: events per filled stream
 * @param memoryStreamLength memory: events in the stream whose load is measured
 * @param jitWarmUpAppends single-event appends per contender before the first scenario on H2 (a third of
 *     them on PostgreSQL, whose round trips make them slower)
 * @param logStreams S7: streams of the log each contender writes and reads
 * @param logEventsPerStream S7: events per stream of that log
 * @param logAppendSize S7: events per append; the appends go to the streams in turn, so that the log
 *     interleaves them
 * @param latencySamples S8: measured appends per variant (a tenth as many more before them are dropped)
 * @param projectionEvents P1: events in the log the projections catch up on
 * @param projectionWarmUpRounds P1: rounds per contender whose figures are dropped
 * @param projectionRounds P1: rounds per contender whose median is reported
 * @param outboxEvents O1: events in each of the two logs the outbox and the loops publish
 * @param outboxStreams O1: streams of the interleaved log
 * @param outboxAppendSize O1: events per append of the interleaved log; the appends go round the streams, as
 *     S7's do
 * @param outboxWarmUpRounds O1: rounds per contender whose figures are dropped
 * @param outboxRounds O1: rounds per contender whose median is reported
 * @param outboxLatencySamples O1 (b): measured appends (a tenth as many more before them are dropped)
 * @param upcastLoadsPerRound S4 upcast: loads per round and contender, of a stream of {@code loadedStreamLength}
 * @param aggregateStreamLength S9: events in an aggregate's stream when a command loads it
 * @param aggregateCommands S9: commands per round and contender, each on an aggregate of its own
 * @param rabbit O1's RabbitMQ broker: host, port, user, password
 * @param only {@code appends}, {@code writers}, {@code projection}, {@code outbox} or {@code aggregates} to run
 *     only S1–S5 and S7, only S5 (at every {@code bench.writers}), only P1, only O1 or only the aggregates step
 *     (S4 upcast and S9), on the databases that run every scenario; empty for the whole run
 * @param baseline the "before" contender, or {@code null} when none is configured
 */
record Settings(boolean smoke, List<Database> databases, int warmUpRounds, int measuredRounds, int singleAppends,
        int batchAppends, int loadedStreamLength, int loadsPerRound, int concurrentAppends, List<Writers> writers,
        int filledStreams, int filledEventsPerStream, int memoryStreamLength, int jitWarmUpAppends, int logStreams,
        int logEventsPerStream, int logAppendSize, int latencySamples, int projectionEvents,
        int projectionWarmUpRounds, int projectionRounds, int outboxEvents, int outboxStreams,
        int outboxAppendSize, int outboxWarmUpRounds, int outboxRounds, int outboxLatencySamples,
        int upcastLoadsPerRound, int aggregateStreamLength, int aggregateCommands,
        Rabbit rabbit, String only, @Nullable Baseline baseline) {

    /**
     * O1's broker ({@code bench.rabbitmq.host}, {@code .port}, {@code .user}, {@code .password}).
     */
    record Rabbit(String host, int port, String user, String password) {

        static final Rabbit LOCAL = new Rabbit("127.0.0.1", 5672, "guest", "guest");
    }

    /**
     * One run of S5: how many threads append at once, and how many connections the pool every contender shares
     * holds meanwhile. An application gives its pool Spring Boot's default of 10 connections whatever its
     * threads, or sizes it to them as far as the database takes connections well: the default run measures 4,
     * 16 and 64 writers on 10 connections, and 16 and 64 writers on 16 and 32 (PostgreSQL's default of 100
     * connections shared by a few instances).
     */
    record Writers(int threads, int pool) {

        Writers {
            if (threads < 1 || pool < 1) {
                throw new IllegalArgumentException("bench.writers: threads and connections must be positive, got "
                        + threads + "x" + pool);
            }
        }

        static List<Writers> parse(String text) {
            List<Writers> writers = new ArrayList<>();
            for (String item : text.split(",")) {
                String[] parts = item.trim().split("x");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("bench.writers is a list of threads×connections, as "
                            + "4x10,16x10,16x16,64x10,64x32; got '" + item.trim() + "'");
                }
                writers.add(new Writers(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())));
            }
            return List.copyOf(writers);
        }
    }

    /** The steps {@code bench.only} can choose, each run alone on the databases that run every scenario. */
    static final List<String> STEPS = List.of("appends", "writers", "projection", "outbox", "aggregates");

    /** Events per append in S3. */
    static final int BATCH = 100;

    /**
     * The event store of an earlier build, measured beside the current one.
     *
     * @param jars its {@code event-store-core} and {@code event-store-jpa} jars
     * @param name its column's header
     */
    record Baseline(List<Path> jars, String name) {
    }

    Settings {
        if (projectionEvents < 1 || projectionRounds < 1 || projectionWarmUpRounds < 0) {
            throw new IllegalArgumentException("bench.projectionEvents and bench.projectionRounds must be positive, "
                    + "bench.projectionWarmUpRounds not negative");
        }
        if (projectionEvents >= 100 && projectionEvents % 100 != 0) {
            throw new IllegalArgumentException("bench.projectionEvents (" + projectionEvents + ") must be a multiple "
                    + "of 100 (streams of 100 events), or less than 100 (one stream)");
        }
        if (outboxEvents < 1 || outboxRounds < 1 || outboxWarmUpRounds < 0 || outboxLatencySamples < 1
                || (outboxEvents >= 100 && outboxEvents % 100 != 0)) {
            throw new IllegalArgumentException("bench.outboxEvents (a multiple of 100, or less than 100), "
                    + "bench.outboxRounds and bench.outboxLatencySamples must be positive, bench.outboxWarmUpRounds "
                    + "not negative");
        }
        if (outboxStreams < 1 || outboxAppendSize < 1 || outboxEvents % outboxStreams != 0
                || outboxEvents / outboxStreams % outboxAppendSize != 0) {
            throw new IllegalArgumentException("bench.outboxEvents (" + outboxEvents + ") must be a multiple of "
                    + "bench.outboxStreams (" + outboxStreams + "), and the events per stream a multiple of "
                    + "bench.outboxAppendSize (" + outboxAppendSize + ")");
        }
        if (upcastLoadsPerRound < 1 || aggregateStreamLength < 1 || aggregateCommands < 1) {
            throw new IllegalArgumentException("bench.upcastLoadsPerRound, bench.aggregateStreamLength and "
                    + "bench.aggregateCommands must be positive");
        }
        if (!only.isEmpty() && !STEPS.contains(only)) {
            throw new IllegalArgumentException("bench.only knows 'appends' (S1–S5 and S7 alone), 'writers' (S5 "
                    + "alone), 'projection' (P1 "
                    + "alone), 'outbox' (O1 alone) and 'aggregates' (S4 upcast and S9 alone), got '" + only + "'");
        }
        if (logEventsPerStream % logAppendSize != 0) {
            throw new IllegalArgumentException("bench.logEventsPerStream (" + logEventsPerStream
                    + ") must be a multiple of bench.logAppendSize (" + logAppendSize + ")");
        }
    }

    /** The settings the system properties ask for. */
    static Settings fromSystemProperties() {
        boolean smoke = Boolean.getBoolean("bench.smoke");
        String defaultDatabases = smoke ? "h2" : "h2,postgresql,mariadb";
        List<Database> databases = new ArrayList<>();
        for (String name : System.getProperty("bench.databases", defaultDatabases).split(",")) {
            databases.add(Database.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        }
        return new Settings(smoke, List.copyOf(databases),
                integer("bench.warmUpRounds", smoke ? 1 : 3),
                integer("bench.measuredRounds", smoke ? 2 : 7),
                integer("bench.singleAppends", smoke ? 30 : 1000),
                integer("bench.batchAppends", smoke ? 2 : 20),
                integer("bench.loadedStreamLength", smoke ? 500 : 10_000),
                integer("bench.loadsPerRound", smoke ? 2 : 5),
                integer("bench.concurrentAppends", smoke ? 40 : 1000),
                Writers.parse(System.getProperty("bench.writers", smoke ? "4x8" : "4x10,16x10,16x16,64x10,64x32")),
                integer("bench.filledStreams", smoke ? 100 : 10_000),
                integer("bench.filledEventsPerStream", 100),
                integer("bench.memoryStreamLength", smoke ? 2_000 : 100_000),
                integer("bench.jitWarmUpAppends", smoke ? 0 : 12_000),
                integer("bench.logStreams", smoke ? 20 : 1000),
                integer("bench.logEventsPerStream", smoke ? 20 : 100),
                integer("bench.logAppendSize", 10),
                integer("bench.latencySamples", smoke ? 5 : 200),
                integer("bench.projectionEvents", smoke ? 300 : 100_000),
                integer("bench.projectionWarmUpRounds", smoke ? 0 : 1),
                integer("bench.projectionRounds", smoke ? 1 : 3),
                integer("bench.outboxEvents", smoke ? 300 : 100_000),
                integer("bench.outboxStreams", smoke ? 10 : 1000),
                integer("bench.outboxAppendSize", 10),
                integer("bench.outboxWarmUpRounds", smoke ? 0 : 1),
                integer("bench.outboxRounds", smoke ? 1 : 3),
                integer("bench.outboxLatencySamples", smoke ? 20 : 500),
                integer("bench.upcastLoadsPerRound", smoke ? 2 : 20),
                integer("bench.aggregateStreamLength", 50),
                integer("bench.aggregateCommands", smoke ? 20 : 2000),
                new Rabbit(System.getProperty("bench.rabbitmq.host", Rabbit.LOCAL.host()),
                        integer("bench.rabbitmq.port", Rabbit.LOCAL.port()),
                        System.getProperty("bench.rabbitmq.user", Rabbit.LOCAL.user()),
                        System.getProperty("bench.rabbitmq.password", Rabbit.LOCAL.password())),
                System.getProperty("bench.only", "").trim(),
                baselineFromProperties());
    }

    /** S5's appends per round with {@code threads} writers: as many per writer as four writers make. */
    int concurrentAppends(int threads) {
        return Math.max(threads, concurrentAppends / 4 * threads);
    }

    /** Events written into each contender's tables for S6. */
    long filledEvents() {
        return (long) filledStreams * filledEventsPerStream;
    }

    /** Events in the log S7 reads. */
    int logEvents() {
        return logStreams * logEventsPerStream;
    }

    /** S8: appends per variant before the measured ones, whose figures are dropped. */
    int latencyWarmUp() {
        return Math.max(1, latencySamples / 10);
    }

    /** Whether the step runs: in the whole run, or when {@code bench.only} chooses it. */
    boolean runs(String step) {
        return only.isEmpty() || only.equals(step);
    }

    /** Whether only one step runs, on the databases that run every scenario. */
    boolean stepOnly() {
        return !only.isEmpty();
    }

    String rabbitHost() {
        return rabbit.host();
    }

    int rabbitPort() {
        return rabbit.port();
    }

    String rabbitUser() {
        return rabbit.user();
    }

    String rabbitPassword() {
        return rabbit.password();
    }

    private static @Nullable Baseline baselineFromProperties() {
        String jars = System.getProperty("bench.baseline", "");
        if (jars.isBlank()) {
            return null;
        }
        List<Path> paths = new ArrayList<>();
        for (String jar : jars.split(File.pathSeparator)) {
            if (!jar.isBlank()) {
                paths.add(Path.of(jar.trim()));
            }
        }
        return new Baseline(List.copyOf(paths), System.getProperty("bench.baseline.name", "event store before"));
    }

    private static int integer(String property, int fallback) {
        return Integer.getInteger(property, fallback);
    }
}

package dev.eventsourcery.eventstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * @param concurrentAppends S5: appends per round and contender, over all threads
 * @param threads S5: appending threads
 * @param filledStreams S6: streams written into each contender's tables before the scenarios run again
 * @param filledEventsPerStream S6: events per filled stream
 * @param memoryStreamLength memory: events in the stream whose load is measured
 * @param jitWarmUpAppends single-event appends per contender before the first scenario on H2 (a third of
 *     them on PostgreSQL, whose round trips make them slower)
 */
record Settings(boolean smoke, List<Database> databases, int warmUpRounds, int measuredRounds, int singleAppends,
        int batchAppends, int loadedStreamLength, int loadsPerRound, int concurrentAppends, int threads,
        int filledStreams, int filledEventsPerStream, int memoryStreamLength, int jitWarmUpAppends) {

    /** Events per append in S3. */
    static final int BATCH = 100;

    /** The settings the system properties ask for. */
    static Settings fromSystemProperties() {
        boolean smoke = Boolean.getBoolean("bench.smoke");
        String defaultDatabases = smoke ? "h2" : "h2,postgresql";
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
                integer("bench.threads", 4),
                integer("bench.filledStreams", smoke ? 100 : 10_000),
                integer("bench.filledEventsPerStream", 100),
                integer("bench.memoryStreamLength", smoke ? 2_000 : 100_000),
                integer("bench.jitWarmUpAppends", smoke ? 0 : 12_000));
    }

    /** Events written into each contender's tables for S6. */
    long filledEvents() {
        return (long) filledStreams * filledEventsPerStream;
    }

    private static int integer(String property, int fallback) {
        return Integer.getInteger(property, fallback);
    }
}

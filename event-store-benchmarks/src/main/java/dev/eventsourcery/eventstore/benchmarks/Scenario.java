package dev.eventsourcery.eventstore.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A workload of issues 5 and 10, run in rounds: {@link #round} does one round's work on one contender and
 * returns its figure. What a scenario sets up per contender (a stream to append to or to load, a log to
 * read) it sets up once, with the contender's own appends.
 */
sealed interface Scenario {

    /** S1, S2, … */
    String id();

    /** What the scenario does, for the table. */
    String title();

    /** The unit of {@link #round}'s figure. */
    Unit unit();

    /** Whether the scenario measures this contender. */
    default boolean measures(Contender contender) {
        return true;
    }

    /** Sets up what the rounds need on this contender; runs once per contender, before its first round. */
    default void prepare(Contender contender) {
    }

    /** One round on one contender: its figure. */
    double round(Contender contender);

    /** Units of figures; for rates more is better, for durations less. */
    enum Unit {
        APPENDS_PER_SECOND("appends/s", true),
        EVENTS_PER_SECOND("events/s", true),
        MILLISECONDS_PER_LOAD("ms/load", false);

        private final String label;
        private final boolean higherIsBetter;

        Unit(String label, boolean higherIsBetter) {
            this.label = label;
            this.higherIsBetter = higherIsBetter;
        }

        String label() {
            return label;
        }

        /**
         * How many times better {@code figure} is than {@code other}: greater than 1 when {@code figure} is
         * the better one, whichever way the unit runs.
         */
        double speedup(double figure, double other) {
            return higherIsBetter ? figure / other : other / figure;
        }
    }

    /** S1: single-event appends, each to a new stream (expected version 0), one thread. */
    record NewStreamAppends(int appends) implements Scenario {

        @Override
        public String id() {
            return "S1";
        }

        @Override
        public String title() {
            return "single-event appends, each to a new stream";
        }

        @Override
        public Unit unit() {
            return Unit.APPENDS_PER_SECOND;
        }

        @Override
        public double round(Contender contender) {
            long start = System.nanoTime();
            for (int i = 0; i < appends; i++) {
                contender.append(UUID.randomUUID(), 0, List.of(MoneyDeposited.number(i)));
            }
            return appends / seconds(start);
        }
    }

    /** S2: single-event appends to one existing stream with the expected version, one thread. */
    record ExpectedVersionAppends(int appends, Map<String, StreamAt> streams) implements Scenario {

        ExpectedVersionAppends(int appends) {
            this(appends, new HashMap<>());
        }

        @Override
        public String id() {
            return "S2";
        }

        @Override
        public String title() {
            return "single-event appends to one stream, expected version";
        }

        @Override
        public Unit unit() {
            return Unit.APPENDS_PER_SECOND;
        }

        @Override
        public void prepare(Contender contender) {
            UUID stream = UUID.randomUUID();
            contender.append(stream, 0, List.of(MoneyDeposited.number(0)));
            streams.put(contender.name(), new StreamAt(stream, 1));
        }

        @Override
        public double round(Contender contender) {
            StreamAt stream = streams.get(contender.name());
            long version = stream.version();
            long start = System.nanoTime();
            for (int i = 0; i < appends; i++) {
                contender.append(stream.id(), version, List.of(MoneyDeposited.number(version)));
                version++;
            }
            double figure = appends / seconds(start);
            streams.put(contender.name(), new StreamAt(stream.id(), version));
            return figure;
        }
    }

    /** S3: 100-event appends, each to a new stream. */
    record BatchAppends(int appends) implements Scenario {

        @Override
        public String id() {
            return "S3";
        }

        @Override
        public String title() {
            return Settings.BATCH + "-event appends";
        }

        @Override
        public Unit unit() {
            return Unit.EVENTS_PER_SECOND;
        }

        @Override
        public double round(Contender contender) {
            List<MoneyDeposited> batch = events(0, Settings.BATCH);
            long start = System.nanoTime();
            for (int i = 0; i < appends; i++) {
                contender.append(UUID.randomUUID(), 0, batch);
            }
            return (double) appends * Settings.BATCH / seconds(start);
        }
    }

    /** S4: loading a whole stream of {@code length} events, payloads deserialized. */
    record Loads(int length, int loads, Map<String, UUID> streams) implements Scenario {

        Loads(int length, int loads) {
            this(length, loads, new HashMap<>());
        }

        @Override
        public String id() {
            return "S4";
        }

        @Override
        public String title() {
            return String.format("loading a %,d-event stream", length);
        }

        @Override
        public Unit unit() {
            return Unit.MILLISECONDS_PER_LOAD;
        }

        @Override
        public void prepare(Contender contender) {
            streams.put(contender.name(), writeStream(contender, length));
        }

        @Override
        public double round(Contender contender) {
            UUID stream = streams.get(contender.name());
            long start = System.nanoTime();
            for (int i = 0; i < loads; i++) {
                int loaded = contender.load(stream).size();
                if (loaded != length) {
                    throw new IllegalStateException(contender.name() + " loaded " + loaded + " of " + length + " events");
                }
            }
            return seconds(start) * 1000 / loads;
        }
    }

    /**
     * S5: several threads appending single events, each to a new stream, on a pool of {@code pool} connections
     * (the benchmark sizes the shared pool before the scenario runs).
     */
    record ConcurrentAppends(int appends, int threads, int pool) implements Scenario {

        @Override
        public String id() {
            return "S5";
        }

        @Override
        public String title() {
            return threads + " threads appending single events to distinct streams, " + pool + " connections";
        }

        @Override
        public Unit unit() {
            return Unit.APPENDS_PER_SECOND;
        }

        @Override
        public double round(Contender contender) {
            int perThread = appends / threads;
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread writer = new Thread(() -> {
                    ready.countDown();
                    try {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            contender.append(UUID.randomUUID(), 0, List.of(MoneyDeposited.number(i)));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "writer-" + t);
                writers.add(writer);
                writer.start();
            }
            try {
                ready.await();
                long start = System.nanoTime();
                go.countDown();
                for (Thread writer : writers) {
                    writer.join();
                }
                double figure = (double) perThread * threads / seconds(start);
                if (failure.get() != null) {
                    throw new IllegalStateException(contender.name() + " failed in S5", failure.get());
                }
                return figure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * S7: a catch-up read of a whole log, every payload deserialized. Each contender writes its log with its own
     * appends of {@code appendSize} events, going round the streams so that the log interleaves them (the
     * first events of every stream, then the next ones, …), and each round reads all of it from the start.
     * It needs tables that hold nothing else: the benchmark runs it first, on a new schema.
     */
    record CatchUpReads(int streams, int eventsPerStream, int appendSize) implements Scenario {

        @Override
        public String id() {
            return "S7";
        }

        @Override
        public String title() {
            return String.format("catch-up read of a %,d-event log over %,d streams", logEvents(), streams);
        }

        @Override
        public Unit unit() {
            return Unit.EVENTS_PER_SECOND;
        }

        @Override
        public boolean measures(Contender contender) {
            return contender instanceof LogReader;
        }

        /** Events in the log. */
        int logEvents() {
            return streams * eventsPerStream;
        }

        @Override
        public void prepare(Contender contender) {
            if (contender instanceof BaselineContender) {
                // it reads the log the event store, prepared before it, wrote into the tables they share
                ((LogReader) contender).completeLog(logEvents());
                return;
            }
            List<UUID> ids = new ArrayList<>(streams);
            for (int i = 0; i < streams; i++) {
                ids.add(UUID.randomUUID());
            }
            for (int version = 0; version < eventsPerStream; version += appendSize) {
                List<MoneyDeposited> batch = Scenario.events(version, appendSize);
                for (UUID stream : ids) {
                    contender.append(stream, version, batch);
                }
            }
            ((LogReader) contender).completeLog(logEvents());
        }

        @Override
        public double round(Contender contender) {
            long start = System.nanoTime();
            long amounts = ((LogReader) contender).readLog(logEvents());
            double figure = logEvents() / seconds(start);
            // every stream holds the deposits number(0) … number(eventsPerStream - 1), of 100 + n cents each
            long expected = (long) streams * (100L * eventsPerStream + (long) eventsPerStream * (eventsPerStream - 1) / 2);
            if (amounts != expected) {
                throw new IllegalStateException(contender.name() + " read deposits of " + amounts + " cents in all, not "
                        + expected);
            }
            return figure;
        }
    }

    /** Where a stream an appender writes to stands. */
    record StreamAt(UUID id, long version) {
    }

    /** Writes a new stream of {@code length} events with the contender's own 100-event appends. */
    static UUID writeStream(Contender contender, int length) {
        UUID stream = UUID.randomUUID();
        for (int version = 0; version < length; version += Settings.BATCH) {
            contender.append(stream, version, events(version, Math.min(Settings.BATCH, length - version)));
        }
        return stream;
    }

    static List<MoneyDeposited> events(long first, int count) {
        List<MoneyDeposited> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(MoneyDeposited.number(first + i));
        }
        return events;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

package dev.eventsourcery.eventstore.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;

import dev.eventsourcery.eventstore.benchmarks.Benchmark.DatabaseResult;
import dev.eventsourcery.eventstore.benchmarks.Benchmark.ScenarioResult;

/**
 * The Markdown tables of a run: per database the medians of every contender, the event store's speed-up
 * over Axon and its share of raw JDBC's speed, checked against the targets of issue 5.
 */
final class Report {

    static final String EVENT_STORE = "event store";
    static final String AXON = "Axon";
    static final String JDBC = "raw JDBC";

    /** Cost on the grown store over cost on the almost empty one that S6 allows the event store. */
    private static final double GROWTH_TARGET = 1.3;

    private final Settings settings;
    private final List<DatabaseResult> results;
    private final List<String> skipped;
    private final StringBuilder out = new StringBuilder();

    Report(Settings settings, List<DatabaseResult> results, List<String> skipped) {
        this.settings = settings;
        this.results = results;
        this.skipped = skipped;
    }

    /** Speed-ups the event store must reach: over Axon, and as a share of raw JDBC's speed. */
    private record Target(double overAxon, double ofJdbc) {

        static Target of(String scenario) {
            return scenario.equals("S3") || scenario.equals("S4") ? new Target(2.0, 0.70) : new Target(1.2, 0.85);
        }
    }

    String render() {
        line("# Event store benchmarks" + (settings.smoke() ? " (SMOKE RUN: tiny sizes, figures meaningless)" : ""));
        line("");
        describeRun();
        for (DatabaseResult result : results) {
            renderDatabase(result);
        }
        for (String database : skipped) {
            line("");
            line("**" + database + ": skipped.**");
        }
        return out.toString();
    }

    private void describeRun() {
        Runtime runtime = Runtime.getRuntime();
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        line("- Date: " + LocalDate.now() + "; machine: " + runtime.availableProcessors() + " cores, "
                + Math.round(memory / (1024.0 * 1024 * 1024)) + " GiB RAM, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "; Java " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.name") + "), max heap " + runtime.maxMemory() / (1024 * 1024) + " MiB.");
        line("- Contenders, each in its own tables of the same database, on one HikariCP pool (8 connections):");
        line("  - **event store**: `StorageEventStore` on `JpaEventStorage` with its defaults (JDBC batches of 100,"
                + " fetch size 500), Hibernate " + org.hibernate.Version.getVersionString() + ", Jackson "
                + tools.jackson.databind.cfg.PackageVersion.VERSION + ".");
        line("  - **Axon**: Axon Framework " + axonVersion() + " `EmbeddedEventStore` on `JpaEventStorageEngine`"
                + " (its defaults: reads in batches of 100 events), `JacksonSerializer` (Jackson "
                + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION + "), **in the same JVM, on the same"
                + " Hibernate " + org.hibernate.Version.getVersionString() + " persistence unit** as the event store"
                + " (Axon 4.13's JPA engine runs unchanged on Hibernate 7); `hibernate.jdbc.batch_size="
                + PersistenceUnit.JDBC_BATCH_SIZE + "` so that it batches inserts; payloads in `bytea` on PostgreSQL"
                + " (Axon's advice), `blob` on H2.");
        line("  - **raw JDBC**: hand-written SQL on the same rows and constraints (unique (stream, version), unique"
                + " event id, stream row with a compare-and-set version), batched inserts, Jackson 3, one transaction"
                + " per append.");
        line(String.format("- Rounds: %d warm-up, %d measured, contenders taking turns in rotating order; figures are"
                + " medians. Per round and contender: S1/S2 %,d appends, S3 %,d appends of %d events, S4 %,d loads,"
                + " S5 %,d appends over %d threads. S6 repeats S1–S4 after writing %,d events (%,d streams) into"
                + " each contender's tables.", settings.warmUpRounds(), settings.measuredRounds(),
                settings.singleAppends(), settings.batchAppends(), Settings.BATCH, settings.loadsPerRound(),
                settings.concurrentAppends(), settings.threads(), settings.filledEvents(), settings.filledStreams()));
        line("- Ratios: **× Axon** is the event store's speed over Axon's, **% JDBC** its speed as a share of raw"
                + " JDBC's (for ms/load the inverse of the times): higher is better for the event store.");
    }

    private void renderDatabase(DatabaseResult result) {
        line("");
        line("## " + result.description());
        line("");
        line("| scenario | unit | event store | Axon | raw JDBC | × Axon | % JDBC | targets (× Axon, % JDBC) |");
        line("|---|---|--:|--:|--:|--:|--:|---|");
        for (ScenarioResult scenario : result.almostEmpty()) {
            Target target = Target.of(scenario.scenario().id());
            double overAxon = speedup(scenario, AXON);
            double ofJdbc = speedup(scenario, JDBC);
            row(scenario, overAxon, ofJdbc, String.format("≥ %.1f× %s, ≥ %.0f%% %s", target.overAxon(),
                    mark(overAxon >= target.overAxon()), target.ofJdbc() * 100, mark(ofJdbc >= target.ofJdbc())));
        }
        line("");
        line(String.format("S6, the same with %,d more events in each contender's tables; **growth** is the cost"
                + " (time per operation) over that on the almost empty store above, per contender:", settings.filledEvents()));
        line("");
        line("| scenario | unit | event store | Axon | raw JDBC | × Axon | % JDBC | growth: event store / Axon / raw JDBC | target |");
        line("|---|---|--:|--:|--:|--:|--:|---|---|");
        for (ScenarioResult grown : result.grown()) {
            ScenarioResult before = result.almostEmpty().stream()
                    .filter(s -> s.scenario().id().equals(grown.scenario().id())).findFirst().orElseThrow();
            double ours = growth(before, grown, EVENT_STORE);
            String growth = String.format("%.2f× / %.2f× / %.2f× | ≤ %.1f× %s", ours, growth(before, grown, AXON),
                    growth(before, grown, JDBC), GROWTH_TARGET, mark(ours <= GROWTH_TARGET));
            row(grown, speedup(grown, AXON), speedup(grown, JDBC), growth);
        }
        line("");
        line(String.format("Memory of loading a %,d-event stream, per event (allocated: bytes the loading thread"
                + " allocated, as JMH's gc.alloc.rate.norm; retained: heap the loaded events hold):",
                settings.memoryStreamLength()));
        line("");
        line("| measure | event store | Axon | raw JDBC | Axon ÷ event store | raw JDBC ÷ event store |");
        line("|---|--:|--:|--:|--:|--:|");
        Map<String, LoadFootprint> memory = result.memory();
        memoryRow("allocated per event (B)", memory.get(EVENT_STORE).allocatedBytesPerEvent(),
                memory.get(AXON).allocatedBytesPerEvent(), memory.get(JDBC).allocatedBytesPerEvent());
        memoryRow("retained per event (B)", memory.get(EVENT_STORE).retainedBytesPerEvent(),
                memory.get(AXON).retainedBytesPerEvent(), memory.get(JDBC).retainedBytesPerEvent());
        double mebibytes = settings.memoryStreamLength() / (1024.0 * 1024);
        line(String.format("| retained by the whole stream (MiB) | %.1f | %.1f | %.1f | | |",
                memory.get(EVENT_STORE).retainedBytesPerEvent() * mebibytes,
                memory.get(AXON).retainedBytesPerEvent() * mebibytes,
                memory.get(JDBC).retainedBytesPerEvent() * mebibytes));
    }

    private void row(ScenarioResult scenario, double overAxon, double ofJdbc, String last) {
        Scenario.Unit unit = scenario.scenario().unit();
        line(String.format("| %s %s | %s | %s | %s | %s | %.2f× | %.0f%% | %s |", scenario.scenario().id(),
                scenario.scenario().title(), unit.label(), figure(scenario.of(EVENT_STORE)), figure(scenario.of(AXON)),
                figure(scenario.of(JDBC)), overAxon, ofJdbc * 100, last));
    }

    private void memoryRow(String measure, double ours, double axon, double jdbc) {
        line(String.format("| %s | %,.0f | %,.0f | %,.0f | %.2f× | %.2f× |", measure, ours, axon, jdbc, axon / ours,
                jdbc / ours));
    }

    private static double speedup(ScenarioResult scenario, String other) {
        return scenario.scenario().unit().speedup(scenario.of(EVENT_STORE), scenario.of(other));
    }

    /** Time per operation on the grown store over that on the almost empty one. */
    private static double growth(ScenarioResult before, ScenarioResult after, String contender) {
        return before.scenario().unit().speedup(before.of(contender), after.of(contender));
    }

    private static String figure(double value) {
        return value >= 100 ? String.format("%,.0f", value) : String.format("%,.1f", value);
    }

    private static String mark(boolean met) {
        return met ? "✓" : "✗";
    }

    private static String axonVersion() {
        String version = JpaEventStorageEngine.class.getPackage().getImplementationVersion();
        return version == null ? "4.13" : version;
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}

package dev.eventsourcery.eventstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The smoke run that CI does on every build: every contender runs every scenario on H2 (P1 and the aggregates step
 * included, and O1 when RabbitMQ is reachable at 127.0.0.1:5672) and the table comes out whole.
 */
class SmokeRunTest {

    /** S5 with 4 writers on 8 connections, and with 8 writers on 3. */
    private static final List<Settings.Writers> TWO_WRITER_RUNS = List.of(new Settings.Writers(4, 8),
            new Settings.Writers(8, 3));

    /** The smoke run's sizes on H2, with S5's two runs of writers, for the step {@code only} chooses ("" for all). */
    private static Settings smoke(String only) {
        return new Settings(true, List.of(Database.H2), 1, 1, 10, 1, 200, 1, 20, TWO_WRITER_RUNS, 20, 100, 500, 0, 10,
                20, 10, 4, 300, 0, 1, 300, 10, 10, 0, 1, 20, 2, 50, 20, Settings.Rabbit.LOCAL, only, null);
    }

    @Test
    void smokeRunPrintsEveryScenarioForEveryContenderOnH2() {
        Settings settings = smoke("");

        String report = new Benchmark(settings, new PrintStream(OutputStream.nullOutputStream())).run();

        assertThat(report).contains("## H2 ");
        for (String scenario : List.of("| S1 ", "| S2 ", "| S3 ", "| S4 ")) {
            assertThat(report.lines().filter(line -> line.startsWith(scenario))).hasSize(2);
        }
        // S5 once per run of writers, each saying its threads and connections
        assertThat(report.lines().filter(line -> line.startsWith("| S5 "))).satisfiesExactly(
                line -> assertThat(line).contains("4 threads").contains("8 connections"),
                line -> assertThat(line).contains("8 threads").contains("3 connections"));
        for (String scenario : List.of("| S7 ", "| S8 (a)", "| S8 (b)")) {
            assertThat(report.lines().filter(line -> line.startsWith(scenario))).hasSize(1);
        }
        assertThat(report.lines().filter(line -> line.startsWith("| S8 (a)")).findFirst().orElseThrow())
                .doesNotContain("–");
        assertThat(report).contains("allocated per event (B)").contains("retained per event (B)");
        assertThat(report).doesNotContain("NaN").doesNotContain("Infinity");
        // P1: every contender's read model holds exactly one row per event (the run itself fails otherwise)
        List<String> projections = report.lines().filter(line -> line.startsWith("| event store: ")
                || line.startsWith("| Axon: `TrackingEventProcessor`") || line.startsWith("| JDBC loop:")).toList();
        assertThat(projections).hasSize(4).allSatisfy(line -> assertThat(line).endsWith("| 300 |"));
        assertThat(report).contains("≥ 2.0× Axon and ≥ 80% of the JDBC loop").contains("a handler of lists");
        // O1 when the broker is there (the run checks that the queue got one message per event); else said why not
        if (OutboxPublishing.unreachable(settings).isEmpty()) {
            // the outbox, the loop in stream order and the pipelined loop, each on both log shapes
            assertThat(report.lines().filter(line -> line.startsWith("| event store outbox: ")
                    || line.startsWith("| Spring AMQP loop, "))).hasSize(3).allSatisfy(line -> assertThat(line)
                    .matches(".* \\| (yes|no) \\| [0-9,.]+ \\| [0-9]+% \\| [0-9,.]+ \\| [0-9]+% \\|$"));
            assertThat(report).contains("**interleaved**, appends of 10 events going round 10 streams")
                    .contains("so that a batch holds 10 streams").contains("**stream by stream**")
                    .contains("O1 (b), append to consumer")
                    .contains("Target, outbox ≥ 80% of the loop with the same guarantee (in stream order)");
        } else {
            System.err.println("SmokeRunTest: O1 not checked, RabbitMQ is unreachable at 127.0.0.1:5672");
            assertThat(report).contains("O1, the outbox publishing to RabbitMQ (RabbitMQ unreachable");
        }
        assertAggregatesStep(report);
    }

    @Test
    void benchOnlyAggregatesRunsTheAggregatesStepAlone() {
        Settings settings = smoke("aggregates");

        String report = new Benchmark(settings, new PrintStream(OutputStream.nullOutputStream())).run();

        assertThat(report).contains("## H2 ");
        assertAggregatesStep(report);
        assertThat(report.lines().filter(line -> line.startsWith("| S1 ") || line.startsWith("| P1 contender")
                || line.startsWith("| O1 contender"))).isEmpty();
        assertThat(report).doesNotContain("skipped");
    }

    @Test
    void benchOnlyWritersRunsS5AloneAtEveryNumberOfWriters() {
        Settings settings = smoke("writers");

        String report = new Benchmark(settings, new PrintStream(OutputStream.nullOutputStream())).run();

        assertThat(report.lines().filter(line -> line.startsWith("| S5 "))).hasSize(2)
                .allSatisfy(line -> assertThat(line).doesNotContain("NaN").contains("appends/s"));
        assertThat(report.lines().filter(line -> line.startsWith("| S1 ") || line.startsWith("| S7 ")
                || line.startsWith("| P1 contender") || line.startsWith("| O1 contender"))).isEmpty();
    }

    /** S4 upcast's three loads and S9's two ways of running a command, with their ratios and S9's target. */
    private static void assertAggregatesStep(String report) {
        assertThat(report.lines().filter(line -> line.startsWith("| as in S4: ")
                || line.startsWith("| stored at version 2: ") || line.startsWith("| upcast from version 1: ")))
                .hasSize(3).allSatisfy(line -> assertThat(line).matches(".* \\| [0-9.]+× \\|$"));
        assertThat(report.lines().filter(line -> line.startsWith("| by hand: `loadStream`")
                || line.startsWith("| repository: `AggregateRepository.update"))).hasSize(2);
        assertThat(report).contains("Upcasting every event costs")
                .contains("Target, the repository ≤ 1.10× the time by hand");
        assertThat(report.lines().filter(line -> line.contains("round by round, the two"))).hasSize(2);
        assertThat(report).doesNotContain("NaN").doesNotContain("Infinity");
    }
}

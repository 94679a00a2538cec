package dev.eventsourcery.eventstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The smoke run that CI does on every build: every contender runs every scenario on H2 (P1 included) and the table comes out whole. */
class SmokeRunTest {

    @Test
    void smokeRunPrintsEveryScenarioForEveryContenderOnH2() {
        Settings settings = new Settings(true, List.of(Database.H2), 1, 1, 10, 1, 200, 1, 20, 4, 20, 100, 500, 0, 10, 20,
                10, 4, 300, 0, 1, false, null);

        String report = new Benchmark(settings, new PrintStream(OutputStream.nullOutputStream())).run();

        assertThat(report).contains("## H2 ");
        for (String scenario : List.of("| S1 ", "| S2 ", "| S3 ", "| S4 ")) {
            assertThat(report.lines().filter(line -> line.startsWith(scenario))).hasSize(2);
        }
        for (String scenario : List.of("| S5 ", "| S7 ", "| S8 (a)", "| S8 (b)")) {
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
    }
}

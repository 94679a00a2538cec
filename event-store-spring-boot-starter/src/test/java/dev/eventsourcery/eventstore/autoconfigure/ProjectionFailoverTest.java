package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * One instance at a time runs a projection, and its read model sees every event exactly once: when the
 * instance running it stops mid-stream another takes over and finishes (two application contexts on one
 * database), and when its process is killed between the handler's writes and the commit, a new instance
 * takes over after the lease time-out and the uncommitted batch is handled again, once.
 */
class ProjectionFailoverTest {

    private static final int EVENTS = 400;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
            TransactionAutoConfiguration.class, EventStoreEntitiesAutoConfiguration.class,
            EventSerializationAutoConfiguration.class, EventStoreAutoConfiguration.class,
            EventStoreProjectionsAutoConfiguration.class})
    static class LedgerApplication {
        @Bean
        LedgerRowsProjection ledgerRows(DataSource dataSource, Environment environment) {
            return new LedgerRowsProjection(dataSource,
                    environment.getRequiredProperty("event-store.projections.instance-id"));
        }

        /** Runs the application in a process of its own: arguments are Spring Boot properties. */
        public static void main(String[] args) throws InterruptedException {
            Map<String, String> options = new java.util.HashMap<>();
            for (String arg : args) {
                int equals = arg.indexOf('=');
                options.put(arg.substring(0, equals), arg.substring(equals + 1));
            }
            LedgerRowsProjection.hangAt = Long.parseLong(options.remove("hang-at"));
            LedgerRowsProjection.marker = Path.of(options.remove("marker"));
            new SpringApplicationBuilder(LedgerApplication.class).web(WebApplicationType.NONE)
                    .properties(options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .toArray(String[]::new))
                    .run();
            // the projection's thread is a daemon, as the application's web server would keep the process alive
            Thread.currentThread().join();
        }
    }

    private static ApplicationContextRunner instance(String properties[], String id) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                        EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                        EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class))
                .withUserConfiguration(LedgerApplication.class)
                .withPropertyValues(properties)
                .withPropertyValues(instanceProperties(id));
    }

    private static String[] instanceProperties(String id) {
        return new String[] {"event-store.projections.instance-id=" + id, "event-store.projections.lease-timeout=3s",
                "event-store.projections.poll-timeout=200ms", "event-store.projections.initial-back-off=50ms"};
    }

    /** Empties the read model, appends the events, and sets the paused projection just before them. */
    private static long prepare(Projections projections, EventStore store, JdbcTemplate jdbc) {
        projections.pause("ledger-rows");
        jdbc.update("delete from " + LedgerRowsProjection.TABLE);
        long start = store.position().map(Position::value).orElse(0L);
        projections.reset("ledger-rows", new Position(start));
        StreamId stream = StreamId.random().withCategory("ledger");
        for (int i = 0; i < EVENTS; i += 20) {
            List<Object> events = new ArrayList<>();
            for (int j = 0; j < 20; j++) {
                events.add(new MoneyDeposited("a", i + j));
            }
            store.appendEvents(stream, i, events.get(0), events.subList(1, 20).toArray());
        }
        return start;
    }

    /** Every event of the run handled exactly once: as many rows as events, no position twice. */
    private static void assertEveryEventHandledOnce(JdbcTemplate jdbc, long start) {
        List<Map<String, Object>> counts = jdbc.queryForList("select count(*) as total_rows, "
                + "count(distinct position) as positions, min(position) as first, max(position) as last from "
                + LedgerRowsProjection.TABLE);
        Map<String, Object> row = counts.get(0);
        assertThat(((Number) row.get("total_rows")).longValue()).isEqualTo(EVENTS);
        assertThat(((Number) row.get("positions")).longValue()).isEqualTo(EVENTS);
        assertThat(((Number) row.get("first")).longValue()).isGreaterThan(start);
    }

    private static long rows(JdbcTemplate jdbc, String instance) {
        return jdbc.queryForObject("select count(*) from " + LedgerRowsProjection.TABLE + " where instance = ?",
                Long.class, instance);
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void whenTheInstanceRunningAProjectionStopsMidStreamAnotherFinishesItAndEveryEventIsHandledOnce(
            TestDatabase database) {
        database.assumeReachable();
        LedgerRowsProjection.delay = 5;
        try {
            instance(database.properties(), "first").run(first -> {
                assertThat(first).hasNotFailed();
                JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
                Projections projections = first.getBean(Projections.class);
                long start = prepare(projections, first.getBean(EventStore.class), jdbc);
                projections.resume("ledger-rows");
                await().atMost(WAIT).until(() -> rows(jdbc, "first") >= 50);

                instance(database.properties(), "second").run(second -> {
                    Projections seen = second.getBean(Projections.class);
                    assertThat(seen.status("ledger-rows").orElseThrow().owner()).isEqualTo("first");
                    first.close();
                    JdbcTemplate reading = new JdbcTemplate(second.getBean(DataSource.class));
                    long handledByFirst = rows(reading, "first");
                    assertThat(handledByFirst).isLessThan(EVENTS);

                    await().atMost(WAIT).until(() -> seen.status("ledger-rows").orElseThrow().lag() == 0
                            && rows(reading, "first") + rows(reading, "second") >= EVENTS);
                    assertThat(seen.status("ledger-rows").orElseThrow().owner()).isEqualTo("second");
                    assertThat(rows(reading, "first")).isEqualTo(handledByFirst);
                    assertThat(rows(reading, "second")).isPositive();
                    assertEveryEventHandledOnce(reading, start);
                });
            });
        } finally {
            LedgerRowsProjection.delay = 0;
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aProcessKilledBetweenTheHandlersWritesAndTheCommitLeavesNothingAndItsSuccessorHandlesEachEventOnce(
            TestDatabase database) throws Exception {
        database.assumeReachable();
        Path directory = Files.createTempDirectory("projection-crash");
        // H2 in a file (a killed process loses an in-memory database), writing every commit at once (by default it
        // writes them a little later, and a killed process loses the last ones)
        String[] properties = database == TestDatabase.H2
                ? new String[] {"spring.datasource.url=jdbc:h2:file:" + directory.resolve("store") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                        "event-store.jdbc.initialize-schema=always"}
                : database.properties();
        long[] start = new long[1];
        instance(properties, "preparing").withPropertyValues("event-store.projections.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            start[0] = prepare(context.getBean(Projections.class), context.getBean(EventStore.class),
                    new JdbcTemplate(context.getBean(DataSource.class)));
            context.getBean(Projections.class).resume("ledger-rows");
        });
        long hangAt = start[0] + EVENTS / 2 + 5;
        Path marker = directory.resolve("marker");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LedgerApplication.class.getName(),
                "hang-at=" + hangAt, "marker=" + marker));
        command.addAll(List.of(properties));
        command.addAll(List.of(instanceProperties("doomed")));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("child.log").toFile()).start();
        children.add(child);
        await().atMost(WAIT).until(() -> Files.exists(marker) || !child.isAlive());
        assertThat(child.isAlive()).as("the child application is running; its log: %s",
                readLog(directory)).isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        instance(properties, "successor").run(context -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            Projections projections = context.getBean(Projections.class);
            long handledByDoomed = rows(jdbc, "doomed");
            assertThat(handledByDoomed).as("the killed batch left none of its rows").isLessThan(hangAt - start[0])
                    .isPositive();
            assertThat(projections.status("ledger-rows").orElseThrow().checkpoint())
                    .isEqualTo(start[0] + handledByDoomed);

            await().atMost(WAIT).until(() -> projections.status("ledger-rows").orElseThrow().lag() == 0
                    && rows(jdbc, "doomed") + rows(jdbc, "successor") >= EVENTS);
            assertThat(rows(jdbc, "doomed")).isEqualTo(handledByDoomed);
            assertEveryEventHandledOnce(jdbc, start[0]);
            assertThat(jdbc.queryForObject("select count(*) from " + LedgerRowsProjection.TABLE
                    + " where position = ?", Long.class, hangAt)).isEqualTo(1);
        });
    }

    private static String readLog(Path directory) {
        try {
            return Files.readString(directory.resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}

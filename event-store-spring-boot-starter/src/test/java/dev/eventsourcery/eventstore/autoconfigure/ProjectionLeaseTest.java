package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
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
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * A batch slower than the projection's lease keeps the lease: two instances on one database, a lease of 1 s and
 * a handler taking 1.5 s per batch, and never do two handler calls run at once, while the checkpoint goes through
 * every event.
 */
class ProjectionLeaseTest {

    private static final int BATCHES = 8;
    private static final Duration HANDLER_TIME = Duration.ofMillis(1500);
    private static final Duration LEASE = Duration.ofSeconds(1);

    /** A handler call: which instance, which event, when it began and ended ({@link System#nanoTime()}). */
    record Call(String instance, long position, long began, long ended) {
    }

    /** Takes 1.5 s per event, in batches of one, writing a row per event with the instance that wrote it. */
    @Projection(name = "slow-batches", category = "slow", batchSize = 1)
    static class SlowBatches {

        static final String TABLE = "slow_batches";
        static final List<Call> calls = new CopyOnWriteArrayList<>();

        private final JdbcTemplate jdbc;
        private final String instance;
        private final boolean readFirst;

        SlowBatches(DataSource dataSource, String instance, boolean readFirst) {
            this.jdbc = new JdbcTemplate(dataSource);
            this.instance = instance;
            this.readFirst = readFirst;
            jdbc.execute("create table if not exists " + TABLE + " (position bigint not null, "
                    + "instance varchar(64) not null)");
        }

        @ProjectionHandler
        void on(RecordedEvent<MoneyDeposited> deposited) throws InterruptedException {
            long began = System.nanoTime();
            try {
                if (readFirst) {
                    // the batch's transaction takes its snapshot here, before the lease is renewed
                    jdbc.queryForObject("select count(*) from " + TABLE, Long.class);
                }
                Thread.sleep(HANDLER_TIME.toMillis());
                jdbc.update("insert into " + TABLE + " (position, instance) values (?, ?)",
                        deposited.position().value(), instance);
            } finally {
                calls.add(new Call(instance, deposited.position().value(), began, System.nanoTime()));
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class Application {
        @Bean
        SlowBatches slowBatches(DataSource dataSource, Environment environment) {
            return new SlowBatches(dataSource, environment.getRequiredProperty("event-store.projections.instance-id"),
                    environment.getProperty("slow-batches.read-first", Boolean.class, false));
        }
    }

    private static ApplicationContextRunner instance(String[] database, String id) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                        EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                        EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class))
                .withUserConfiguration(Application.class)
                .withPropertyValues(database)
                .withPropertyValues("event-store.projections.instance-id=" + id,
                        "event-store.projections.lease-timeout=" + LEASE.toMillis() + "ms",
                        "event-store.projections.poll-timeout=200ms",
                        "event-store.projections.initial-back-off=50ms");
    }

    /** Two instances' properties for one database: on H2, one named in-memory database both reach. */
    private static String[] database(TestDatabase database) {
        if (database != TestDatabase.H2) {
            return database.properties();
        }
        return new String[] {"spring.datasource.url=jdbc:h2:mem:lease-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "spring.jpa.hibernate.ddl-auto=none"};
    }

    /** The pairs of calls that ran at the same time, described. */
    private static List<String> overlapping(List<Call> calls) {
        List<Call> sorted = new ArrayList<>(calls);
        sorted.sort(Comparator.comparingLong(Call::began));
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size() && sorted.get(j).began() < sorted.get(i).ended(); j++) {
                overlaps.add(sorted.get(i) + " overlaps " + sorted.get(j));
            }
        }
        return overlaps;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aBatchSlowerThanTheLeaseKeepsItAndNoOtherInstanceRunsTheProjectionMeanwhile(TestDatabase database) {
        database.assumeReachable();
        runTwoInstances(database(database), database.toString());
    }

    /**
     * The same on PostgreSQL whose connections default to repeatable read, with a handler that reads before it
     * takes its time: the renewals that update the projection's row while a batch runs do not fail the batch's
     * compare-and-set on that row, as the batches run at read committed.
     */
    @ParameterizedTest
    @EnumSource(names = "POSTGRESQL")
    void onPostgreSqlDefaultingToRepeatableReadTheRenewedLeaseFailsNoBatch(TestDatabase database) {
        database.assumeReachable();
        String[] properties = java.util.stream.Stream.concat(java.util.Arrays.stream(database(database)),
                java.util.stream.Stream.of("spring.datasource.hikari.transaction-isolation=TRANSACTION_REPEATABLE_READ",
                        "slow-batches.read-first=true"))
                .toArray(String[]::new);
        runTwoInstances(properties, database + " at repeatable read by default");
    }

    private static void runTwoInstances(String[] properties, String database) {
        instance(properties, "first").run(first -> {
            assertThat(first).hasNotFailed();
            JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
            Projections projections = first.getBean(Projections.class);
            EventStore store = first.getBean(EventStore.class);
            projections.pause("slow-batches");
            jdbc.update("delete from " + SlowBatches.TABLE);
            projections.reset("slow-batches", new Position(store.position().map(Position::value).orElse(0L)));

            instance(properties, "second").run(second -> {
                assertThat(second).hasNotFailed();
                SlowBatches.calls.clear();
                StreamId stream = StreamId.random().withCategory("slow");
                for (int i = 0; i < BATCHES; i++) {
                    store.appendEvents(stream, i, new MoneyDeposited("slow", i));
                }
                long last = store.position().orElseThrow().value();
                projections.resume("slow-batches");

                await().atMost(HANDLER_TIME.multipliedBy(BATCHES * 3L).plusSeconds(10))
                        .until(() -> projections.status("slow-batches").orElseThrow().checkpoint() == last
                                || !overlapping(SlowBatches.calls).isEmpty());
                List<Call> calls = List.copyOf(SlowBatches.calls);
                List<String> overlaps = overlapping(calls);
                System.out.printf("%s: %d batches of %d ms under a lease of %d ms, another instance trying to take "
                        + "it every %d ms: %d handler calls, %d of them overlapping%n", database, BATCHES,
                        HANDLER_TIME.toMillis(), LEASE.toMillis(), LEASE.toMillis() / 10, calls.size(),
                        overlaps.size());

                assertThat(overlaps).as("handler calls running at the same time").isEmpty();
                assertThat(projections.status("slow-batches").orElseThrow().checkpoint()).isEqualTo(last);
                Map<String, Object> rows = jdbc.queryForMap("select count(*) as total_rows, count(distinct position) "
                        + "as positions from " + SlowBatches.TABLE);
                assertThat(((Number) rows.get("total_rows")).longValue()).isEqualTo(BATCHES);
                assertThat(((Number) rows.get("positions")).longValue()).isEqualTo(BATCHES);
            });
        });
    }
}

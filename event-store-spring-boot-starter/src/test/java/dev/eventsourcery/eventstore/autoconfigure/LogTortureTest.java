package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * The log under a seeded random schedule of everything real applications do at once: writer threads appending
 * 1 to 2,000 events (with an expected version, {@code ANY}, versionless), in transactions of their own and in
 * callers' transactions held open for seconds or rolled back; deletes inside callers' transactions at read
 * committed and repeatable read, after a load of the stream; two instances of the store on separate connection
 * pools; on each a projection whose lease is shorter than some of its batches. After each schedule: every
 * committed, undeleted event is in the log exactly once; each stream is in version order (a versionless one in
 * the order it loads in); no row is left behind in the log's tables; {@code position()} answered within a second
 * throughout; and the projection's read model equals a fold of the log.
 *
 * <p>How many schedules per database: {@code -Deventstore.torture.schedules} or the environment variable
 * {@code EVENT_STORE_TORTURE_SCHEDULES} ({@code .ci/run} sets it), 1 by default. Each schedule's seed is printed
 * and named by any failure; {@code -Deventstore.torture.seed=S -Deventstore.torture.schedules=1} runs the
 * schedule of seed S again (the same operations; the threads' interleaving is the machine's).
 */
class LogTortureTest {

    private static final String TALLY = "tally";
    private static final String SCRATCH = "scratch";
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration POSITION_ANSWERS = Duration.ofSeconds(1);
    private static final List<TenantId> TENANTS = List.of(TenantId.DEFAULT, TenantId.of("torture-2"));

    /**
     * A fold of the log of category {@value #TALLY}: per stream, the events, their sum and the last version seen;
     * a version that does not follow the last is written down as out of order. Now and then a batch takes longer
     * than the lease.
     */
    @Projection(name = "torture-tally", category = TALLY, batchSize = 200)
    static class Tally {

        static final AtomicLong slowBatches = new AtomicLong();

        private final JdbcTemplate jdbc;
        private final SplittableRandom random = new SplittableRandom();

        Tally(DataSource dataSource) {
            this.jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("create table if not exists torture_tally (tenant varchar(64) not null, stream varchar(64) "
                    + "not null, events bigint not null, total bigint not null, last_version bigint not null, "
                    + "out_of_order bigint not null, primary key (tenant, stream))");
        }

        @ProjectionHandler
        void on(List<RecordedEvent<MoneyDeposited>> batch) throws InterruptedException {
            if (random.nextInt(8) == 0) {
                slowBatches.incrementAndGet();
                Thread.sleep(LEASE.toMillis() + 300);
            }
            for (RecordedEvent<MoneyDeposited> event : batch) {
                String tenant = event.tenantId().value();
                String stream = event.streamId().uuid().toString();
                Long version = event.wrappedEvent().version();
                List<Map<String, Object>> rows = jdbc.queryForList("select last_version from torture_tally "
                        + "where tenant = ? and stream = ?", tenant, stream);
                if (rows.isEmpty()) {
                    jdbc.update("insert into torture_tally (tenant, stream, events, total, last_version, out_of_order) "
                            + "values (?, ?, 1, ?, ?, ?)", tenant, stream, event.event().amount(),
                            version == null ? 0 : version, version != null && version != 1 ? 1 : 0);
                } else {
                    long last = ((Number) rows.get(0).get("last_version")).longValue();
                    jdbc.update("update torture_tally set events = events + 1, total = total + ?, last_version = ?, "
                            + "out_of_order = out_of_order + ? where tenant = ? and stream = ?", event.event().amount(),
                            version == null ? 0 : version, version != null && version != last + 1 ? 1 : 0, tenant,
                            stream);
                }
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class Application {
        @Bean
        Tally tally(DataSource dataSource) {
            return new Tally(dataSource);
        }
    }

    private static ApplicationContextRunner instance(String url, String id) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                        EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                        EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class))
                .withUserConfiguration(Application.class)
                .withPropertyValues("spring.datasource.url=" + url, "spring.datasource.hikari.maximum-pool-size=16",
                        "spring.jpa.hibernate.ddl-auto=none", "event-store.jdbc.initialize-schema=always",
                        "event-store.projections.instance-id=" + id,
                        "event-store.projections.lease-timeout=" + LEASE.toMillis() + "ms",
                        "event-store.projections.poll-timeout=200ms", "event-store.projections.initial-back-off=50ms",
                        "event-store.log.poll-interval=100ms");
    }

    /** A new database both instances share, with the server's credentials as properties. */
    private static String[] newDatabase(TestDatabase database) {
        return switch (database) {
            case H2 -> new String[] {"jdbc:h2:mem:torture-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""};
            case POSTGRESQL -> new String[] {DatabaseServer.POSTGRESQL.newDatabaseUrl(),
                    DatabaseServer.POSTGRESQL.user(), DatabaseServer.POSTGRESQL.password()};
            case MARIADB -> new String[] {DatabaseServer.MARIADB.newDatabaseUrl(), DatabaseServer.MARIADB.user(),
                    DatabaseServer.MARIADB.password()};
        };
    }

    static int schedules() {
        String environment = System.getenv("EVENT_STORE_TORTURE_SCHEDULES");
        return Integer.getInteger("eventstore.torture.schedules",
                environment == null || environment.isBlank() ? 1 : Integer.parseInt(environment.trim()));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyScheduleLeavesACompleteOrderedLogWithoutOrphansAndReadModelsThatFoldIt(TestDatabase database) {
        database.assumeReachable();
        String[] server = newDatabase(database);
        String first = server[0];
        // one instance sends a MariaDB append in one round trip, the other in two
        String second = database == TestDatabase.MARIADB
                ? server[0] + (server[0].contains("?") ? "&" : "?") + "allowMultiQueries=true" : server[0];
        String[] credentials = {"spring.datasource.username=" + server[1], "spring.datasource.password=" + server[2]};
        long seed = Long.getLong("eventstore.torture.seed", new SplittableRandom().nextLong());
        int schedules = schedules();
        instance(first, "first").withPropertyValues(credentials).run(one -> {
            assertThat(one).hasNotFailed();
            instance(second, "second").withPropertyValues(credentials).run(two -> {
                assertThat(two).hasNotFailed();
                for (int i = 0; i < schedules; i++) {
                    long scheduleSeed = seed + i;
                    System.out.printf("log torture on %s: schedule %d of %d, seed %d "
                            + "(-Deventstore.torture.seed=%d -Deventstore.torture.schedules=1 replays it)%n",
                            database, i + 1, schedules, scheduleSeed, scheduleSeed);
                    try {
                        new Schedule(database, scheduleSeed, List.of(one, two)).runAndCheck();
                    } catch (AssertionError | RuntimeException e) {
                        throw new AssertionError("log torture on " + database + " failed the schedule of seed "
                                + scheduleSeed + " (-Deventstore.torture.seed=" + scheduleSeed
                                + " -Deventstore.torture.schedules=1 replays it): " + e.getMessage(), e);
                    }
                }
            });
        });
    }

    /** One random schedule on two instances, and the checks after it. */
    static final class Schedule {

        private final TestDatabase database;
        private final long seed;
        private final List<EventStore> stores = new ArrayList<>();
        private final List<TransactionTemplate> transactions = new ArrayList<>();
        private final JdbcTemplate jdbc;
        private final Projections projections;
        private final List<StreamId> tallies = new ArrayList<>();
        private final List<StreamId> scratches = new ArrayList<>();
        private final Set<StreamId> versionless = new HashSet<>();
        /** Events whose appends committed, in streams never deleted: each must be in the log. */
        private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        /** Events whose transactions were rolled back: none may be stored or logged. */
        private final Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
        private final AtomicLong slowestPosition = new AtomicLong();
        private final AtomicLong positionCalls = new AtomicLong();
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        Schedule(TestDatabase database, long seed, List<AssertableApplicationContext> instances) {
            this.database = database;
            this.seed = seed;
            for (AssertableApplicationContext instance : instances) {
                stores.add(instance.getBean(EventStore.class));
                transactions.add(new TransactionTemplate(instance.getBean(PlatformTransactionManager.class)));
            }
            this.jdbc = new JdbcTemplate(instances.get(0).getBean(DataSource.class));
            this.projections = instances.get(0).getBean(Projections.class);
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < 12; i++) {
                StreamId stream = new StreamId(uuid(random), null, TALLY);
                tallies.add(stream);
                if (i % 4 == 3) {
                    versionless.add(stream);
                }
            }
            for (int i = 0; i < 8; i++) {
                StreamId stream = new StreamId(uuid(random), null, SCRATCH);
                scratches.add(stream);
                if (i % 4 == 3) {
                    versionless.add(stream);
                }
            }
        }

        /** A random (version 4) uuid from the schedule's seed. */
        private static UUID uuid(SplittableRandom random) {
            return new UUID(random.nextLong() & ~0xF000L | 0x4000L,
                    random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        }

        void runAndCheck() throws Exception {
            long started = System.nanoTime();
            Tally.slowBatches.set(0);
            ExecutorService threads = Executors.newFixedThreadPool(7);
            AtomicBoolean running = new AtomicBoolean(true);
            try {
                Future<?> watcher = threads.submit(() -> watchPositions(running));
                List<Future<?>> actors = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    SplittableRandom random = new SplittableRandom(seed * 31 + w);
                    actors.add(threads.submit(() -> write(random)));
                }
                SplittableRandom deletes = new SplittableRandom(seed * 31 + 99);
                actors.add(threads.submit(() -> delete(deletes)));
                for (Future<?> actor : actors) {
                    actor.get(10, TimeUnit.MINUTES);
                }
                running.set(false);
                watcher.get(1, TimeUnit.MINUTES);
            } finally {
                running.set(false);
                threads.shutdownNow();
            }
            check();
            System.out.printf("log torture on %s, seed %d: %s; position() answered %d times, slowest in %d ms; "
                    + "%d batches slower than the lease; %.1f s%n", database, seed, new java.util.TreeMap<>(counts),
                    positionCalls.get(), TimeUnit.NANOSECONDS.toMillis(slowestPosition.get()), Tally.slowBatches.get(),
                    (System.nanoTime() - started) / 1e9);
        }

        private void count(String what) {
            counts.computeIfAbsent(what, key -> new AtomicLong()).incrementAndGet();
        }

        /** position() on each instance, every 100 ms, timing each answer. */
        private void watchPositions(AtomicBoolean running) {
            while (running.get()) {
                for (EventStore store : stores) {
                    long before = System.nanoTime();
                    store.position();
                    slowestPosition.accumulateAndGet(System.nanoTime() - before, Math::max);
                    positionCalls.incrementAndGet();
                }
                sleep(100);
            }
        }

        private void write(SplittableRandom random) {
            for (int op = 0; op < 30; op++) {
                int instance = random.nextInt(stores.size());
                EventStore store = scoped(stores.get(instance), random);
                int kind = random.nextInt(100);
                if (kind < 55) {
                    appendAlone(store, random);
                } else if (kind < 80) {
                    inCallerTransaction(instance, store, random, false);
                } else if (kind < 92) {
                    inCallerTransaction(instance, store, random, true);
                } else {
                    sleep(random.nextInt(200));
                }
            }
        }

        private EventStore scoped(EventStore store, SplittableRandom random) {
            return store.scopedForTenant(TENANTS.get(random.nextInt(TENANTS.size())));
        }

        /** An append in a transaction of the store's own. */
        private void appendAlone(EventStore store, SplittableRandom random) {
            StreamId stream = stream(random);
            List<WrappedEvent<?>> events = events(random);
            if (append(store, stream, events, random)) {
                acknowledge(stream, events);
            }
        }

        /** One to three appends in a caller's transaction, held open for up to three seconds, or rolled back. */
        private void inCallerTransaction(int instance, EventStore store, SplittableRandom random, boolean rollBack) {
            List<Map.Entry<StreamId, List<WrappedEvent<?>>>> appended = new ArrayList<>();
            int appends = 1 + random.nextInt(3);
            long hold = random.nextInt(4) == 0 ? 1000 + random.nextInt(2000) : random.nextInt(100);
            List<SplittableRandom> randoms = new ArrayList<>();
            for (int i = 0; i < appends; i++) {
                randoms.add(random.split());
            }
            try {
                transactions.get(instance).executeWithoutResult(status -> {
                    appended.clear();
                    for (SplittableRandom own : randoms) {
                        StreamId stream = stream(own);
                        List<WrappedEvent<?>> events = events(own);
                        if (!append(store, stream, events, own)) {
                            status.setRollbackOnly();
                            return;
                        }
                        appended.add(Map.entry(stream, events));
                    }
                    sleep(hold);
                    if (rollBack) {
                        status.setRollbackOnly();
                    }
                });
            } catch (ConcurrentStreamWriteException e) {
                count("caller transactions refused by a conflict");
                appended.forEach(entry -> entry.getValue().forEach(event -> rolledBack.add(event.uuid())));
                return;
            }
            if (rollBack || appended.size() < appends) {
                count("caller transactions rolled back");
                appended.forEach(entry -> entry.getValue().forEach(event -> rolledBack.add(event.uuid())));
            } else {
                count("caller transactions committed" + (hold >= 1000 ? " after a second or more" : ""));
                appended.forEach(entry -> acknowledge(entry.getKey(), entry.getValue()));
            }
        }

        /** Appends with the stream's kind of versioning: false when it lost to a concurrent writer. */
        private boolean append(EventStore store, StreamId stream, List<WrappedEvent<?>> events,
                SplittableRandom random) {
            if (versionless.contains(stream)) {
                store.append(stream, Versioning.NO_VERSIONING, events);
                count("appends without versions");
                return true;
            }
            if (random.nextBoolean()) {
                store.append(stream, Versioning.ANY, events);
                count("appends with ANY");
                return true;
            }
            List<WrappedEvent<?>> loaded = store.loadStream(stream);
            long version = loaded.isEmpty() ? 0 : Objects.requireNonNull(loaded.get(loaded.size() - 1).version());
            try {
                store.append(stream, version, events);
                count("appends with an expected version");
                return true;
            } catch (ConcurrentStreamWriteException e) {
                count("appends with an expected version that lost a race");
                return false;
            }
        }

        private void acknowledge(StreamId stream, List<WrappedEvent<?>> events) {
            if (TALLY.equals(stream.category())) {
                events.forEach(event -> acknowledged.add(event.uuid()));
            }
        }

        private StreamId stream(SplittableRandom random) {
            List<StreamId> pool = random.nextInt(3) == 0 ? scratches : tallies;
            return pool.get(random.nextInt(pool.size()));
        }

        /** Mostly a few events, now and then hundreds to 2,000. */
        private static List<WrappedEvent<?>> events(SplittableRandom random) {
            int kind = random.nextInt(100);
            int size = kind < 80 ? 1 + random.nextInt(10) : kind < 95 ? 10 + random.nextInt(300)
                    : 1000 + random.nextInt(1001);
            List<WrappedEvent<?>> events = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                events.add(WrappedEvent.wrap(new MoneyDeposited("torture", 1 + random.nextInt(100))));
            }
            return events;
        }

        /** Deletes of scratch streams in callers' transactions, after a load, at read committed or repeatable read. */
        private void delete(SplittableRandom random) {
            for (int op = 0; op < 16; op++) {
                int instance = random.nextInt(stores.size());
                EventStore store = scoped(stores.get(instance), random);
                StreamId stream = scratches.get(random.nextInt(scratches.size()));
                boolean repeatable = random.nextBoolean();
                long hold = random.nextInt(3) == 0 ? 500 + random.nextInt(2000) : random.nextInt(50);
                TransactionTemplate template = new TransactionTemplate(
                        Objects.requireNonNull(transactions.get(instance).getTransactionManager()));
                template.setIsolationLevel(repeatable ? TransactionDefinition.ISOLATION_REPEATABLE_READ
                        : TransactionDefinition.ISOLATION_READ_COMMITTED);
                try {
                    template.executeWithoutResult(status -> {
                        store.loadStream(stream);
                        sleep(random.nextInt(50));
                        store.deleteStream(stream);
                        sleep(hold);
                    });
                    count("deletes at " + (repeatable ? "repeatable read" : "read committed"));
                } catch (ConcurrentStreamWriteException e) {
                    count("deletes refused by a conflict at " + (repeatable ? "repeatable read" : "read committed"));
                }
                sleep(random.nextInt(300));
            }
        }

        private void check() {
            EventStore store = stores.get(0);
            long head = store.position().map(Position::value).orElse(0L);
            stores.get(1).position();
            List<RecordedEvent<?>> log = new ArrayList<>();
            try (Subscription subscription = store.subscribe().inAllTenants().build()) {
                List<RecordedEvent<?>> polled;
                while (!(polled = subscription.poll(2000, Duration.ZERO)).isEmpty()) {
                    log.addAll(polled);
                }
            }
            // every committed, undeleted event exactly once: the log holds the stored events, each once
            List<UUID> logged = log.stream().map(event -> event.wrappedEvent().uuid()).toList();
            assertThat(log).extracting(event -> event.position().value()).isSorted().doesNotHaveDuplicates();
            assertThat(logged).doesNotHaveDuplicates();
            Set<UUID> stored = new HashSet<>();
            jdbc.query("select event_uuid from es_event", row -> {
                stored.add(UUID.fromString(row.getString(1)));
            });
            assertThat(new HashSet<>(logged)).as("the log holds exactly the stored events").isEqualTo(stored);
            assertThat(stored).as("events whose appends committed").containsAll(acknowledged)
                    .as("events rolled back").doesNotContainAnyElementsOf(rolledBack);
            // each stream in version order, a versionless one in the order it loads in
            Map<Map.Entry<TenantId, StreamId>, List<WrappedEvent<?>>> byStream = new HashMap<>();
            log.forEach(event -> byStream.computeIfAbsent(Map.entry(event.tenantId(), event.streamId()),
                    key -> new ArrayList<>()).add(event.wrappedEvent()));
            for (Map.Entry<Map.Entry<TenantId, StreamId>, List<WrappedEvent<?>>> stream : byStream.entrySet()) {
                List<WrappedEvent<?>> loaded = store.scopedForTenant(stream.getKey().getKey())
                        .loadStream(stream.getKey().getValue());
                assertThat(stream.getValue()).as("stream %s in the log", stream.getKey())
                        .containsExactlyElementsOf(loaded);
            }
            // no row left behind in the log's tables
            assertThat(rows("select count(*) from es_pending")).as("pending rows").isZero();
            assertThat(rows("select count(*) from es_deleted")).as("deleted events still in the log").isZero();
            assertThat(rows("select count(*) from es_log l where not exists "
                    + "(select 1 from es_event e where e.seq = l.seq)")).as("rows of the log without events").isZero();
            assertThat(Duration.ofNanos(slowestPosition.get())).as("the slowest answer of position()")
                    .isLessThan(POSITION_ANSWERS);
            // the read model is a fold of the log
            await().atMost(Duration.ofMinutes(2)).until(
                    () -> projections.status("torture-tally").orElseThrow().checkpoint() >= head);
            Map<List<String>, List<Long>> fold = new HashMap<>();
            for (RecordedEvent<?> event : log) {
                if (!TALLY.equals(event.streamId().category())) {
                    continue;
                }
                List<Long> row = fold.computeIfAbsent(List.of(event.tenantId().value(),
                        event.streamId().uuid().toString()), key -> new ArrayList<>(List.of(0L, 0L, 0L, 0L)));
                Long version = event.wrappedEvent().version();
                row.set(0, row.get(0) + 1);
                row.set(1, row.get(1) + ((MoneyDeposited) event.event()).amount());
                row.set(2, version == null ? 0 : version);
            }
            // the whole read model: the log (and so the fold) holds the streams of earlier schedules too
            Map<List<String>, List<Long>> model = new HashMap<>();
            jdbc.query("select tenant, stream, events, total, last_version, out_of_order from torture_tally", row -> {
                model.put(List.of(row.getString(1), row.getString(2)), List.of(row.getLong(3), row.getLong(4),
                        row.getLong(5), row.getLong(6)));
            });
            assertThat(model).as("the read model against a fold of the log").isEqualTo(fold);
            counts.put("events in the log", new AtomicLong(log.size()));
        }

        private int rows(String sql) {
            Integer count = jdbc.queryForObject(sql, Integer.class);
            return count == null ? 0 : count;
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

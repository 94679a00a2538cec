package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.TenantResolver;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.aggregate.Aggregate;
import dev.eventsourcery.eventstore.aggregate.AggregateRepository;
import dev.eventsourcery.eventstore.aggregate.AggregateType;
import dev.eventsourcery.eventstore.aggregate.Command;
import dev.eventsourcery.eventstore.aggregate.SnapshotPolicy;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.autoconfigure.testapp.Purse;
import dev.eventsourcery.eventstore.spring.aggregate.AggregateRepositories;

/**
 * Aggregate repositories of the starter in the application's transactions, on H2, PostgreSQL and MariaDB: updates
 * outside a transaction retried until every concurrent one counts, a conflict inside a caller's transaction
 * rolling it back, snapshots written after the commit and never failing a command, tenants by the application's
 * resolver.
 */
class AggregatesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class, EventStoreAggregatesAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class, Application.class);

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    /** The tenant of the current call, as a request filter would set it. */
    static final class CurrentTenant {
        final AtomicReference<TenantId> tenant = new AtomicReference<>(TenantId.DEFAULT);
    }

    /** A service that writes a row of its own and changes a purse in one transaction. */
    static class Cashier {

        private final JdbcTemplate jdbc;
        private final AggregateRepository<Purse> purses;

        Cashier(DataSource dataSource, AggregateRepositories repositories) {
            this.jdbc = new JdbcTemplate(dataSource);
            this.purses = repositories.repository(Purse.type(SnapshotPolicy.never()));
        }

        @Transactional
        public Aggregate<Purse> auditedUpdate(UUID id, Command<Purse> command) {
            audit(jdbc, id);
            return purses.update(id, command);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Application {

        @Bean
        CurrentTenant currentTenant() {
            return new CurrentTenant();
        }

        @Bean
        TenantResolver tenantResolver(CurrentTenant current) {
            return current.tenant::get;
        }

        @Bean
        Cashier cashier(DataSource dataSource, AggregateRepositories repositories) {
            return new Cashier(dataSource, repositories);
        }
    }

    private ApplicationContextRunner on(TestDatabase database) {
        database.assumeReachable();
        return runner.withPropertyValues(database.properties());
    }

    private static void audit(JdbcTemplate jdbc, UUID id) {
        jdbc.update("insert into aggregate_audit (aggregate) values (?)", id.toString());
    }

    private static int audited(AssertableApplicationContext context, UUID id) {
        JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
        return jdbc.queryForObject("select count(*) from aggregate_audit where aggregate = ?", Integer.class,
                id.toString());
    }

    private static void createAuditTable(AssertableApplicationContext context) {
        new JdbcTemplate(context.getBean(DataSource.class))
                .execute("create table if not exists aggregate_audit (aggregate varchar(64))");
    }

    private static StreamId streamOf(UUID id) {
        return StreamId.of(id).withCategory("purse");
    }

    /** The entry a load of the purse starts with: its latest snapshot, when it has one. */
    private static WrappedEvent<?> head(EventStore store, UUID id) {
        return store.loadStream(streamOf(id)).get(0);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void concurrentUpdatesOutsideATransactionAreRetriedUntilEveryOneCounts(TestDatabase database) {
        int writers = 4;
        int perWriter = 10;
        // every failed attempt is another update's success (or a lock the database gave up): plenty of attempts
        on(database).withPropertyValues("event-store.aggregates.max-attempts=1000").run(context -> {
            AggregateRepository<Purse> purses = context.getBean(AggregateRepositories.class)
                    .repository(Purse.type(SnapshotPolicy.everyEvents(7)));
            UUID id = UUID.randomUUID();
            purses.create(id, Purse.deposit(0));
            AtomicInteger runs = new AtomicInteger();
            CyclicBarrier allLoaded = new CyclicBarrier(writers);
            ExecutorService executor = Executors.newFixedThreadPool(writers);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    futures.add(executor.submit(() -> {
                        for (int i = 0; i < perWriter; i++) {
                            AtomicInteger attempt = new AtomicInteger();
                            boolean first = i == 0;
                            purses.update(id, purse -> {
                                runs.incrementAndGet();
                                if (first && attempt.incrementAndGet() == 1) {
                                    // every first update decides on the same version: all but one must run again
                                    await(allLoaded);
                                }
                                return new MoneyDeposited("purse", 1);
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(5, TimeUnit.MINUTES);
                }
            } finally {
                executor.shutdownNow();
            }

            int total = writers * perWriter;
            assertThat(purses.load(id)).isEqualTo(new Aggregate<>(id, new Purse(total, total + 1), total + 1));
            assertThat(runs.get()).isGreaterThanOrEqualTo(total + writers - 1);
        });
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aConflictInsideACallersTransactionIsNotRetriedAndRollsTheCallersTransactionBack(TestDatabase database) {
        on(database).run(context -> {
            createAuditTable(context);
            EventStore store = context.getBean(EventStore.class);
            TransactionTemplate elsewhere = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            elsewhere.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            AggregateRepository<Purse> purses = context.getBean(AggregateRepositories.class)
                    .repository(Purse.type(SnapshotPolicy.never()));
            UUID id = UUID.randomUUID();
            purses.create(id, Purse.deposit(1));
            AtomicInteger runs = new AtomicInteger();

            assertThatThrownBy(() -> context.getBean(Cashier.class).auditedUpdate(id, purse -> {
                runs.incrementAndGet();
                // another writer commits a change of the purse after the caller's transaction loaded it
                elsewhere.executeWithoutResult(status ->
                        store.appendEvents(streamOf(id), Versioning.ANY, new MoneyDeposited("purse", 1000)));
                return new MoneyDeposited("purse", 10);
            })).isInstanceOf(ConcurrentStreamWriteException.class);

            assertThat(runs).hasValue(1);
            assertThat(audited(context, id)).isZero();
            assertThat(purses.load(id)).isEqualTo(new Aggregate<>(id, new Purse(1001, 2), 2));
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void outsideATransactionTheSameConflictIsRetried(TestDatabase database) {
        on(database).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            AggregateRepository<Purse> purses = context.getBean(AggregateRepositories.class)
                    .repository(Purse.type(SnapshotPolicy.never()));
            UUID id = UUID.randomUUID();
            purses.create(id, Purse.deposit(1));
            AtomicInteger runs = new AtomicInteger();
            TransactionTemplate elsewhere = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            elsewhere.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

            Aggregate<Purse> updated = purses.update(id, purse -> {
                if (runs.incrementAndGet() == 1) {
                    elsewhere.executeWithoutResult(status ->
                            store.appendEvents(streamOf(id), Versioning.ANY, new MoneyDeposited("purse", 1000)));
                }
                return new MoneyDeposited("purse", 10);
            });

            assertThat(runs).hasValue(2);
            assertThat(updated).isEqualTo(new Aggregate<>(id, new Purse(1011, 3), 3));
            assertThat(purses.load(id)).isEqualTo(updated);
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSnapshotDecidedInsideACallersTransactionIsWrittenOnlyAfterItCommitsAndNeverWhenItRollsBack(
            TestDatabase database) {
        on(database).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            TransactionTemplate caller = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            AggregateRepository<Purse> purses = context.getBean(AggregateRepositories.class)
                    .repository(Purse.type(SnapshotPolicy.everyEvents(1)));
            UUID id = UUID.randomUUID();
            purses.create(id, Purse.deposit(5));
            assertThat(head(store, id).event()).isEqualTo(new Purse(5, 1));

            caller.executeWithoutResult(status -> {
                assertThat(purses.update(id, Purse.deposit(7)).version()).isEqualTo(2);
                // the caller's transaction sees its own event, and still the old snapshot
                assertThat(store.loadStream(streamOf(id))).hasSize(2);
                assertThat(head(store, id).version()).isEqualTo(1L);
            });
            assertThat(store.loadStream(streamOf(id))).singleElement().satisfies(snapshot -> {
                assertThat(snapshot.event()).isEqualTo(new Purse(12, 2));
                assertThat(snapshot.version()).isEqualTo(2L);
            });

            caller.executeWithoutResult(status -> {
                purses.update(id, Purse.deposit(100));
                status.setRollbackOnly();
            });
            assertThat(store.loadStream(streamOf(id))).singleElement()
                    .satisfies(snapshot -> assertThat(snapshot.version()).isEqualTo(2L));
            assertThat(purses.load(id)).isEqualTo(new Aggregate<>(id, new Purse(12, 2), 2));
        });
    }

    /** A snapshot whose JSON cannot be written: reading its only property fails. */
    record BrokenSnapshot(long balance) {
        @Override
        public long balance() {
            throw new IllegalStateException("this snapshot cannot be written");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFailingSnapshotNeitherFailsNorRollsBackTheCommand(TestDatabase database) {
        on(database).run(context -> {
            createAuditTable(context);
            EventStore store = context.getBean(EventStore.class);
            AggregateType<Purse> type = Purse.types().snapshots(SnapshotPolicy.everyEvents(1))
                    .snapshotAs(BrokenSnapshot.class, purse -> new BrokenSnapshot(purse.balance()),
                            snapshot -> new Purse(snapshot.balance(), 0))
                    .build();
            AggregateRepository<Purse> purses = context.getBean(AggregateRepositories.class).repository(type);
            TransactionTemplate caller = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            UUID id = UUID.randomUUID();

            assertThat(purses.create(id, Purse.deposit(5)).version()).isEqualTo(1);
            caller.executeWithoutResult(status -> {
                audit(jdbc, id);
                purses.update(id, Purse.deposit(7));
            });

            assertThat(audited(context, id)).isEqualTo(1);
            assertThat(store.loadStream(streamOf(id))).extracting(entry -> (Object) entry.event())
                    .containsExactly(new MoneyDeposited("purse", 5), new MoneyDeposited("purse", 7));
            assertThat(purses.load(id)).isEqualTo(new Aggregate<>(id, new Purse(12, 2), 2));
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theApplicationsTenantResolverDecidesTheTenantOfEachCall(TestDatabase database) {
        on(database).run(context -> {
            AtomicReference<TenantId> tenant = context.getBean(CurrentTenant.class).tenant;
            EventStore store = context.getBean(EventStore.class);
            AggregateRepository<Purse> purses = context.getBean(AggregateRepositories.class)
                    .repository(Purse.type(SnapshotPolicy.everyEvents(2)));
            UUID id = UUID.randomUUID();

            tenant.set(TenantId.of("acme"));
            purses.create(id, Purse.deposit(5));
            purses.update(id, Purse.deposit(6));
            tenant.set(TenantId.of("globex"));
            assertThat(purses.find(id)).isEmpty();
            purses.create(id, Purse.deposit(100));
            tenant.set(TenantId.DEFAULT);
            assertThat(purses.find(id)).isEmpty();

            tenant.set(TenantId.of("acme"));
            assertThat(purses.load(id)).isEqualTo(new Aggregate<>(id, new Purse(11, 2), 2));
            tenant.set(TenantId.of("globex"));
            assertThat(purses.load(id)).isEqualTo(new Aggregate<>(id, new Purse(100, 1), 1));
            assertThat(store.scopedForTenant("acme").loadStream(streamOf(id))).singleElement()
                    .satisfies(snapshot -> assertThat(snapshot.event()).isEqualTo(new Purse(11, 2)));
            assertThat(store.scopedForTenant().loadStream(streamOf(id))).isEmpty();
        });
    }
}

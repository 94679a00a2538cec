package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

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
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyWithdrawn;
import dev.eventsourcery.eventstore.spring.projection.FailurePolicy;
import dev.eventsourcery.eventstore.spring.projection.Projection;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;
import dev.eventsourcery.eventstore.spring.projection.ProjectionReset;
import dev.eventsourcery.eventstore.spring.projection.ProjectionState;
import dev.eventsourcery.eventstore.spring.projection.ProjectionStatus;
import dev.eventsourcery.eventstore.spring.projection.Projections;
import dev.eventsourcery.eventstore.spring.projection.StartPosition;

/**
 * Projections in one application: log order, batches in transactions with the checkpoint, filters, start
 * positions, failures with retries and dead letters, and the operations, on H2, PostgreSQL and MariaDB.
 * Each test uses projection names and tables of its own, as the server databases are shared by the run.
 */
class ProjectionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class, EventStoreProjectionsAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("event-store.projections.initial-back-off=10ms",
                    "event-store.projections.poll-timeout=200ms", "event-store.projections.lease-timeout=3s");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    /** A read model of balances: one row per handled event, keyed by its position, and a total per account. */
    static class Balances {

        final String table;
        final JdbcTemplate jdbc;
        final List<Long> positions = new CopyOnWriteArrayList<>();
        final List<Integer> batchTransactions = new CopyOnWriteArrayList<>();
        final Set<Long> failOn = ConcurrentHashMap.newKeySet();
        final Map<Long, Integer> attempts = new ConcurrentHashMap<>();
        volatile int resets;

        Balances(DataSource dataSource, String table) {
            this.table = table;
            this.jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("create table if not exists " + table + " (position bigint primary key, account varchar(64), "
                    + "amount bigint)");
        }

        /** Forgets the events its committed batches recorded. */
        void forgetHandled() {
            positions.clear();
            batchTransactions.clear();
            attempts.clear();
        }

        void record(RecordedEvent<?> event, String account, long amount) {
            // a batch polled just before a pause or reset can still reach the handler, and is then rolled back
            // by the checkpoint's compare-and-set: only attempts of the running projection count
            if (ProjectionState.RUNNING.name().equals(jdbc.queryForObject(
                    "select state from es_projection where name = ?", String.class,
                    getClass().getAnnotation(Projection.class).name()))) {
                attempts.merge(event.position().value(), 1, Integer::sum);
            }
            assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
            jdbc.update("insert into " + table + " (position, account, amount) values (?, ?, ?)",
                    event.position().value(), account, amount);
            if (failOn.contains(event.position().value())) {
                throw new IllegalStateException("cannot project position " + event.position().value());
            }
            afterCommit(() -> positions.add(event.position().value()));
        }

        /** Keeps what a committed batch did: a batch rolled back (a reset or pause meanwhile) did nothing. */
        static void afterCommit(Runnable work) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    work.run();
                }
            });
        }

        long rows() {
            return jdbc.queryForObject("select count(*) from " + table, Long.class);
        }

        long balance(String account) {
            Long sum = jdbc.queryForObject("select coalesce(sum(amount), 0) from " + table + " where account = ?",
                    Long.class, account);
            return sum == null ? 0 : sum;
        }
    }

    @Projection(name = "balances-test", category = "account")
    static class AccountBalances extends Balances {

        AccountBalances(DataSource dataSource) {
            super(dataSource, "balances_test");
        }

        @ProjectionHandler
        void on(RecordedEvent<MoneyDeposited> deposited) {
            record(deposited, deposited.event().account(), deposited.event().amount());
        }

        @ProjectionHandler
        void onWithdrawn(RecordedEvent<MoneyWithdrawn> withdrawn) {
            record(withdrawn, withdrawn.event().account(), -withdrawn.event().amount());
        }

        @ProjectionReset
        void clear(Position position) {
            resets++;
            jdbc.update("delete from " + table + " where position > ?", position.value());
        }
    }

    @Projection(name = "dead-letters-test", onFailure = FailurePolicy.DEAD_LETTER, maxAttempts = 2,
            tenants = {"acme"})
    static class DeadLettering extends Balances {

        DeadLettering(DataSource dataSource) {
            super(dataSource, "dead_letters_test");
        }

        @ProjectionHandler
        void on(RecordedEvent<MoneyDeposited> deposited) {
            record(deposited, deposited.event().account(), deposited.event().amount());
        }
    }

    @Projection(name = "from-now-test", startAt = StartPosition.NOW, batchSize = 1)
    static class FromNow extends Balances {

        FromNow(DataSource dataSource) {
            super(dataSource, "from_now_test");
        }

        @ProjectionHandler
        void on(RecordedEvent<MoneyDeposited> deposited) {
            record(deposited, deposited.event().account(), deposited.event().amount());
        }
    }

    /** Deposits in lists, withdrawals one by one. */
    @Projection(name = "batches-test", category = "account", batchSize = 10)
    static class BatchedBalances extends Balances {

        final List<List<Long>> lists = new CopyOnWriteArrayList<>();
        final List<Long> withdrawals = new CopyOnWriteArrayList<>();

        BatchedBalances(DataSource dataSource) {
            super(dataSource, "batches_test");
        }

        @Override
        void forgetHandled() {
            super.forgetHandled();
            lists.clear();
            withdrawals.clear();
        }

        @ProjectionHandler
        void on(List<RecordedEvent<MoneyDeposited>> deposits) {
            List<Long> list = deposits.stream().map(deposit -> deposit.position().value()).toList();
            afterCommit(() -> lists.add(list));
            for (RecordedEvent<MoneyDeposited> deposit : deposits) {
                record(deposit, deposit.event().account(), deposit.event().amount());
            }
        }

        @ProjectionHandler
        void on(RecordedEvent<MoneyWithdrawn> withdrawn) {
            afterCommit(() -> withdrawals.add(withdrawn.position().value()));
            record(withdrawn, withdrawn.event().account(), -withdrawn.event().amount());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BatchedBalancesProjection {
        @Bean
        BatchedBalances batchedBalances(DataSource dataSource) {
            return new BatchedBalances(dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BalancesProjection {
        @Bean
        AccountBalances accountBalances(DataSource dataSource) {
            return new AccountBalances(dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DeadLetteringProjection {
        @Bean
        DeadLettering deadLettering(DataSource dataSource) {
            return new DeadLettering(dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FromNowProjection {
        @Bean
        FromNow fromNow(DataSource dataSource) {
            return new FromNow(dataSource);
        }
    }

    private ApplicationContextRunner on(TestDatabase database, Class<?> projection) {
        database.assumeReachable();
        return runner.withPropertyValues(database.properties()).withUserConfiguration(projection);
    }

    /**
     * Pauses the projection and forgets what it did so far: its rows, its dead letters, and what its batches
     * recorded. A projection left running by an earlier test on the same database can handle a batch of older
     * events as the context starts, before the pause; after the pause, a batch commits nothing (its checkpoint's
     * compare-and-set fails), so nothing more is recorded.
     */
    private static void clean(AssertableApplicationContext context, String projection, Balances balances) {
        JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
        context.getBean(Projections.class).pause(projection);
        jdbc.update("delete from " + balances.table);
        jdbc.update("delete from es_dead_letter where projection = ?", projection);
        balances.forgetHandled();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aProjectionHandlesEveryEventOfItsCategoryOnceInLogOrderAndCatchesUpWithNewOnes(TestDatabase database) {
        on(database, BalancesProjection.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Projections projections = context.getBean(Projections.class);
            AccountBalances balances = context.getBean(AccountBalances.class);
            clean(context, "balances-test", balances);
            projections.rebuild("balances-test");
            String account = "acc-" + System.nanoTime();
            StreamId stream = StreamId.random().withCategory("account");
            for (int i = 0; i < 250; i++) {
                store.appendEvents(stream, i, i % 5 == 4 ? new MoneyWithdrawn(account, 3) : new MoneyDeposited(account, 5));
            }
            store.appendEvents(StreamId.random().withCategory("other"), 0, new MoneyDeposited(account, 1000));
            store.scopedForTenant("acme").appendEvents(StreamId.random().withCategory("account"), 0,
                    new MoneyDeposited(account, 7));
            projections.resume("balances-test");

            await().atMost(WAIT).until(() -> balances.balance(account) == 200 * 5 - 50 * 3 + 7);
            assertThat(balances.positions).isSorted().doesNotHaveDuplicates();
            long head = store.position().orElseThrow().value();
            await().atMost(WAIT).until(() -> projections.status("balances-test").orElseThrow().checkpoint() == head);
            ProjectionStatus status = projections.status("balances-test").orElseThrow();
            assertThat(status.lag()).isZero();
            assertThat(status.state()).isEqualTo(ProjectionState.RUNNING);
            assertThat(status.owner()).isNotNull();

            store.appendEvents(stream, 250, new MoneyDeposited(account, 1));
            await().atMost(WAIT).until(() -> balances.balance(account) == 858);
            assertThat(balances.rows()).isEqualTo(balances.positions.size());
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aHandlerOfAListTakesEachRunOfItsEventsInABatchInOneCallInLogOrder(TestDatabase database) {
        on(database, BatchedBalancesProjection.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Projections projections = context.getBean(Projections.class);
            BatchedBalances balances = context.getBean(BatchedBalances.class);
            clean(context, "batches-test", balances);
            long start = store.position().map(Position::value).orElse(0L);
            projections.reset("batches-test", new Position(start));
            String account = "acc-" + System.nanoTime();
            StreamId stream = StreamId.random().withCategory("account");
            for (int i = 0; i < 45; i++) {
                store.appendEvents(stream, i, i % 9 == 8 ? new MoneyWithdrawn(account, 1) : new MoneyDeposited(account, 2));
            }
            List<Long> positions = eventPositions(store, start, 45);
            projections.resume("batches-test");

            await().atMost(WAIT).until(() -> balances.balance(account) == 40 * 2 - 5);
            assertThat(balances.positions).containsExactlyElementsOf(positions);
            assertThat(balances.withdrawals).hasSize(5);
            // batches of 10 over runs of 8 deposits and a withdrawal: a list ends at a withdrawal or a batch's end
            assertThat(balances.lists).allSatisfy(list -> assertThat(list).hasSizeBetween(1, 8));
            assertThat(balances.lists).anySatisfy(list -> assertThat(list).hasSize(8));
            assertThat(balances.lists.stream().mapToInt(List::size).sum()).isEqualTo(40);
            for (List<Long> list : balances.lists) {
                int first = positions.indexOf(list.get(0));
                assertThat(list).containsExactlyElementsOf(positions.subList(first, first + list.size()));
                assertThat(balances.withdrawals).noneMatch(position -> position > list.get(0)
                        && position < list.get(list.size() - 1));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFailingEventIsRetriedAndThenStopsTheProjectionUntilItIsResumed(TestDatabase database) {
        on(database, BalancesProjection.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Projections projections = context.getBean(Projections.class);
            AccountBalances balances = context.getBean(AccountBalances.class);
            clean(context, "balances-test", balances);
            long start = store.position().map(Position::value).orElse(0L);
            projections.reset("balances-test", new Position(start));
            String account = "acc-" + System.nanoTime();
            StreamId stream = StreamId.random().withCategory("account");
            for (int i = 0; i < 10; i++) {
                store.appendEvents(stream, i, new MoneyDeposited(account, 1));
            }
            List<Long> positions = eventPositions(store, start, 10);
            long failing = positions.get(4);
            balances.failOn.add(failing);
            projections.resume("balances-test");

            await().atMost(WAIT).until(() -> projections.status("balances-test").orElseThrow().state()
                    == ProjectionState.FAILED);
            ProjectionStatus failed = projections.status("balances-test").orElseThrow();
            assertThat(failed.errorPosition()).isEqualTo(failing);
            assertThat(failed.error()).contains("cannot project position " + failing);
            assertThat(failed.checkpoint()).isEqualTo(positions.get(3));
            assertThat(balances.attempts.get(failing)).isEqualTo(1 + 3);
            assertThat(balances.balance(account)).isEqualTo(4);

            balances.failOn.clear();
            projections.resume("balances-test");
            await().atMost(WAIT).until(() -> balances.balance(account) == 10);
            assertThat(balances.rows()).isEqualTo(10);
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anEventGivenUpOnBecomesADeadLetterThatCanBeReplayed(TestDatabase database) {
        on(database, DeadLetteringProjection.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Projections projections = context.getBean(Projections.class);
            DeadLettering projection = context.getBean(DeadLettering.class);
            clean(context, "dead-letters-test", projection);
            long start = store.position().map(Position::value).orElse(0L);
            projections.reset("dead-letters-test", new Position(start));
            String account = "acc-" + System.nanoTime();
            StreamId stream = StreamId.random();
            EventStore acme = store.scopedForTenant("acme");
            for (int i = 0; i < 6; i++) {
                acme.appendEvents(stream, i, new MoneyDeposited(account, 1));
            }
            store.appendEvents(stream, 0, new MoneyDeposited(account, 100));
            List<Long> positions = eventPositions(store, start, 7);
            long failing = positions.get(2);
            projection.failOn.add(failing);
            projections.resume("dead-letters-test");

            await().atMost(WAIT).until(() -> projection.balance(account) == 5);
            assertThat(projections.deadLetters("dead-letters-test")).singleElement().satisfies(letter -> {
                assertThat(letter.position()).isEqualTo(failing);
                assertThat(letter.attempts()).isEqualTo(2);
                assertThat(letter.tenantId()).isEqualTo("acme");
                assertThat(letter.error()).contains("cannot project position " + failing);
            });
            assertThat(projection.attempts.get(failing)).isEqualTo(1 + 2);
            assertThat(projections.status("dead-letters-test").orElseThrow().deadLetters()).isEqualTo(1);

            assertThatThrownBy(() -> projections.replay("dead-letters-test", failing))
                    .hasMessageContaining("cannot project position " + failing);
            assertThat(projections.deadLetters("dead-letters-test")).hasSize(1);
            projection.failOn.clear();
            projections.replay("dead-letters-test", failing);
            assertThat(projections.deadLetters("dead-letters-test")).isEmpty();
            assertThat(projection.balance(account)).isEqualTo(6);
            assertThatThrownBy(() -> projections.replay("dead-letters-test", failing))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no dead letter");
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void pauseHoldsTheProjectionAndResetRebuildsItsReadModel(TestDatabase database) {
        on(database, BalancesProjection.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Projections projections = context.getBean(Projections.class);
            AccountBalances balances = context.getBean(AccountBalances.class);
            clean(context, "balances-test", balances);
            long start = store.position().map(Position::value).orElse(0L);
            projections.reset("balances-test", new Position(start));
            projections.resume("balances-test");
            String account = "acc-" + System.nanoTime();
            StreamId stream = StreamId.random().withCategory("account");
            store.appendEvents(stream, 0, new MoneyDeposited(account, 1), new MoneyDeposited(account, 2));
            await().atMost(WAIT).until(() -> balances.balance(account) == 3);

            projections.pause("balances-test");
            assertThat(projections.status("balances-test").orElseThrow().state()).isEqualTo(ProjectionState.PAUSED);
            store.appendEvents(stream, 2, new MoneyDeposited(account, 4));
            Thread.sleep(1000);
            assertThat(balances.balance(account)).isEqualTo(3);
            assertThat(projections.status("balances-test").orElseThrow().lag()).isPositive();

            int resets = balances.resets;
            projections.reset("balances-test", new Position(start));
            assertThat(balances.resets).isEqualTo(resets + 1);
            assertThat(balances.rows()).isZero();
            assertThat(projections.status("balances-test").orElseThrow().state()).isEqualTo(ProjectionState.PAUSED);
            projections.resume("balances-test");
            await().atMost(WAIT).until(() -> balances.balance(account) == 7);
            assertThat(balances.rows()).isEqualTo(3);
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aProjectionStartingNowSkipsTheEventsAppendedBeforeItFirstRan(TestDatabase database) {
        on(database, FromNowProjection.class).run(context -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            jdbc.update("delete from es_projection where name = 'from-now-test'");
            jdbc.update("delete from from_now_test");
        });
        String account = "acc-" + System.nanoTime();
        on(database, FromNowProjection.class).withPropertyValues("event-store.projections.enabled=false").run(context ->
                context.getBean(EventStore.class).appendEvents(StreamId.random(), 0, new MoneyDeposited(account, 1)));
        on(database, FromNowProjection.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            FromNow projection = context.getBean(FromNow.class);
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited(account, 2));
            await().atMost(WAIT).until(() -> projection.balance(account) == 2);
            Thread.sleep(300);
            assertThat(projection.balance(account)).isEqualTo(2);
        });
    }

    /** The positions of the next events after {@code start}, read from the log. */
    private static List<Long> eventPositions(EventStore store, long start, int count) {
        try (var subscription = store.subscribe().inAllTenants().after(new Position(start)).build()) {
            List<Long> positions = new java.util.ArrayList<>();
            while (positions.size() < count) {
                subscription.poll(count - positions.size(), Duration.ofSeconds(5))
                        .forEach(event -> positions.add(event.position().value()));
            }
            return positions;
        }
    }
}

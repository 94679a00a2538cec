package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.persistence.EntityManagerFactory;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
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
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyWithdrawn;
import dev.eventsourcery.eventstore.spring.EventAppended;

/**
 * The {@link EventAppended} application events: published inside the appending transaction, selected by
 * their generic type, before the commit for {@code @EventListener}s and after it (or after a rollback) for
 * {@code @TransactionalEventListener}s, on H2, PostgreSQL and MariaDB.
 */
class EventAppendedTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class, CountingTransactions.class);

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    /** The application's transaction manager, counting the transactions it begins. */
    @Configuration(proxyBeanMethods = false)
    static class CountingTransactions {
        @Bean
        CountingTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
            return new CountingTransactionManager(entityManagerFactory);
        }
    }

    static final class CountingTransactionManager extends JpaTransactionManager {

        private static final long serialVersionUID = 1L;

        final AtomicInteger begun = new AtomicInteger();

        CountingTransactionManager(EntityManagerFactory entityManagerFactory) {
            super(entityManagerFactory);
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
            begun.incrementAndGet();
            super.doBegin(transaction, definition);
        }
    }

    /** Listeners of deposits in every phase, and of withdrawals before the commit. */
    static final class Listeners {

        final List<EventAppended<MoneyDeposited>> beforeCommit = new CopyOnWriteArrayList<>();
        final List<Boolean> inTransaction = new CopyOnWriteArrayList<>();
        final List<EventAppended<MoneyDeposited>> afterCommit = new CopyOnWriteArrayList<>();
        final List<EventAppended<MoneyDeposited>> afterRollback = new CopyOnWriteArrayList<>();
        final List<EventAppended<MoneyWithdrawn>> withdrawals = new CopyOnWriteArrayList<>();
        volatile @Nullable RuntimeException failure;

        @EventListener
        void beforeCommit(EventAppended<MoneyDeposited> appended) {
            beforeCommit.add(appended);
            inTransaction.add(TransactionSynchronizationManager.isActualTransactionActive());
            RuntimeException toThrow = failure;
            if (toThrow != null) {
                throw toThrow;
            }
        }

        @TransactionalEventListener
        void afterCommit(EventAppended<MoneyDeposited> appended) {
            afterCommit.add(appended);
        }

        @TransactionalEventListener(phase = TransactionPhase.AFTER_ROLLBACK)
        void afterRollback(EventAppended<MoneyDeposited> appended) {
            afterRollback.add(appended);
        }

        @EventListener
        void withdrawal(EventAppended<MoneyWithdrawn> appended) {
            withdrawals.add(appended);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WithListeners {
        @Bean
        Listeners listeners() {
            return new Listeners();
        }
    }

    private ApplicationContextRunner on(TestDatabase database) {
        database.assumeReachable();
        return runner.withPropertyValues(database.properties()).withUserConfiguration(WithListeners.class);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void eachAppendedEventReachesTheListenersOfItsClassInsideTheTransactionAndAfterTheCommit(TestDatabase database) {
        on(database).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Listeners listeners = context.getBean(Listeners.class);
            StreamId stream = StreamId.random().withCategory("account");
            WrappedEvent<MoneyDeposited> first = WrappedEvent.wrap(new MoneyDeposited("a", 1));
            WrappedEvent<MoneyDeposited> second = WrappedEvent.wrap(new MoneyDeposited("a", 2));

            store.append(stream, first, second);

            assertThat(listeners.beforeCommit).containsExactly(
                    new EventAppended<>(first.withVersion(1L), stream, TenantId.DEFAULT),
                    new EventAppended<>(second.withVersion(2L), stream, TenantId.DEFAULT));
            assertThat(listeners.inTransaction).containsOnly(true);
            assertThat(listeners.afterCommit).containsExactlyElementsOf(listeners.beforeCommit);
            assertThat(listeners.afterRollback).isEmpty();
            assertThat(listeners.withdrawals).isEmpty();
            assertThat(listeners.beforeCommit.get(0).event()).isEqualTo(new MoneyDeposited("a", 1));

            store.appendEvents(stream, 2, new MoneyWithdrawn("a", 3));
            assertThat(listeners.withdrawals).singleElement()
                    .satisfies(appended -> assertThat(appended.wrappedEvent().version()).isEqualTo(3L))
                    .satisfies(appended -> assertThat(appended.event()).isEqualTo(new MoneyWithdrawn("a", 3)));
            assertThat(listeners.beforeCommit).hasSize(2);
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFailingListenerRollsTheAppendBackAndTheCallerHearsItsException(TestDatabase database) {
        on(database).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Listeners listeners = context.getBean(Listeners.class);
            StreamId stream = StreamId.random();
            IllegalStateException refusal = new IllegalStateException("the ledger refuses this deposit");
            listeners.failure = refusal;

            assertThatThrownBy(() -> store.appendEvents(stream, 0, new MoneyDeposited("a", 1))).isSameAs(refusal);

            assertThat(store.loadStream(stream)).isEmpty();
            assertThat(listeners.beforeCommit).hasSize(1);
            assertThat(listeners.afterCommit).isEmpty();
            assertThat(listeners.afterRollback).hasSize(1);
            listeners.failure = null;
            store.appendEvents(stream, 0, new MoneyDeposited("a", 2));
            assertThat(store.loadStream(stream)).extracting(event -> (Object) event.event())
                    .containsExactly(new MoneyDeposited("a", 2));
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFailingListenerRollsBackTheCallersOwnWritesWithTheAppend(TestDatabase database) {
        on(database).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Listeners listeners = context.getBean(Listeners.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            jdbc.execute("create table if not exists appended_audit (stream varchar(64))");
            TransactionTemplate transaction = new TransactionTemplate(context.getBean(CountingTransactionManager.class));
            StreamId stream = StreamId.random();
            listeners.failure = new IllegalStateException("refused");

            assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                jdbc.update("insert into appended_audit (stream) values (?)", stream.uuid().toString());
                store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
            })).hasMessage("refused");

            assertThat(jdbc.queryForObject("select count(*) from appended_audit where stream = ?", Integer.class,
                    stream.uuid().toString())).isZero();
            assertThat(store.loadStream(stream)).isEmpty();
            assertThat(listeners.afterRollback).hasSize(1);
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void inACallersTransactionTheListenersRunBeforeItsCommitAndAfterItsCommitOrRollback(TestDatabase database) {
        on(database).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Listeners listeners = context.getBean(Listeners.class);
            TransactionTemplate transaction = new TransactionTemplate(context.getBean(CountingTransactionManager.class));
            StreamId committed = StreamId.random();
            StreamId rolledBack = StreamId.random();

            transaction.executeWithoutResult(status -> {
                store.appendEvents(committed, 0, new MoneyDeposited("a", 1));
                store.appendEvents(committed, 1, new MoneyDeposited("a", 2));
                assertThat(listeners.beforeCommit).hasSize(2);
                assertThat(listeners.afterCommit).isEmpty();
            });
            assertThat(listeners.afterCommit).extracting(EventAppended::streamId).containsExactly(committed, committed);
            assertThat(listeners.afterCommit).extracting(appended -> appended.wrappedEvent().version())
                    .containsExactly(1L, 2L);

            transaction.executeWithoutResult(status -> {
                store.appendEvents(rolledBack, 0, new MoneyDeposited("b", 1));
                status.setRollbackOnly();
            });
            assertThat(listeners.afterCommit).hasSize(2);
            assertThat(listeners.afterRollback).extracting(EventAppended::streamId).containsExactly(rolledBack);
            assertThat(store.loadStream(rolledBack)).isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void appendsWithAnyVersionPublishTheVersionsTheEventsGot(TestDatabase database) {
        on(database).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Listeners listeners = context.getBean(Listeners.class);
            StreamId stream = StreamId.random();
            StreamId versionless = StreamId.random();

            store.appendEvents(stream, 0, new MoneyDeposited("a", 1), new MoneyDeposited("a", 2));
            store.appendEvents(stream, Versioning.ANY, new MoneyDeposited("a", 3), new MoneyDeposited("a", 4));
            new TransactionTemplate(context.getBean(CountingTransactionManager.class)).executeWithoutResult(status ->
                    store.appendEvents(stream, Versioning.ANY, new MoneyDeposited("a", 5)));
            store.appendEvents(versionless, Versioning.NO_VERSIONING, new MoneyDeposited("b", 1));

            assertThat(listeners.afterCommit).extracting(appended -> appended.wrappedEvent().version())
                    .containsExactly(1L, 2L, 3L, 4L, 5L, null);
            assertThat(listeners.afterCommit.subList(0, 5)).extracting(appended -> (Object) appended.wrappedEvent())
                    .containsExactlyElementsOf(store.loadStream(stream));
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void appendsThroughTenantViewsPublishTheirTenant(TestDatabase database) {
        on(database).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            Listeners listeners = context.getBean(Listeners.class);
            StreamId stream = StreamId.random();

            store.scopedForTenant("acme").appendEvents(stream, 0, new MoneyDeposited("a", 1));
            store.scopedForTenant("acme").scopedForTenant("globex").appendEvents(stream, 0, new MoneyDeposited("a", 2));

            assertThat(listeners.afterCommit).extracting(EventAppended::tenantId)
                    .containsExactly(TenantId.of("acme"), TenantId.of("globex"));
            assertThat(listeners.afterCommit).extracting(EventAppended::streamId).containsOnly(stream);
        });
    }

    @Test
    void withoutListenersAnAppendBeginsNoTransactionAndWithThemItBeginsOne() {
        runner.withPropertyValues(TestDatabase.H2.properties()).run(context -> {
            CountingTransactionManager transactions = context.getBean(CountingTransactionManager.class);
            int before = transactions.begun.get();
            context.getBean(EventStore.class).appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
            assertThat(transactions.begun.get()).isEqualTo(before);
        });
        on(TestDatabase.H2).run(context -> {
            CountingTransactionManager transactions = context.getBean(CountingTransactionManager.class);
            int before = transactions.begun.get();
            context.getBean(EventStore.class).appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
            assertThat(transactions.begun.get()).isEqualTo(before + 1);
            assertThat(context.getBean(Listeners.class).afterCommit).hasSize(1);
        });
    }

    @Test
    void aListenerOfEveryObjectCountsAsAListener() {
        runner.withPropertyValues(TestDatabase.H2.properties()).withBean(EverythingListener.class).run(context -> {
            context.getBean(EventStore.class).appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
            assertThat(context.getBean(EverythingListener.class).received)
                    .anySatisfy(event -> assertThat(event).isInstanceOf(EventAppended.class));
        });
    }

    static final class EverythingListener {
        final List<Object> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(Object event) {
            received.add(event);
        }
    }
}

package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.persistence.EntityManagerFactory;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * The log never skips an event, whatever the timing of the transactions that write it: one held open for
 * longer than every wait and interval of the store while others commit, one rolled back, and two
 * instances of the store on separate connection pools writing the same streams.
 */
class LogCompletenessTest {

    /** Longer than every wait, poll interval and idle time-out of the store's log threads. */
    private static final Duration HELD = Duration.ofSeconds(12);

    private static List<WrappedEvent<?>> numbers(int count) {
        List<WrappedEvent<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(WrappedEvent.wrap(new NumberAdded(i)));
        }
        return events;
    }

    private static Set<UUID> ids(List<WrappedEvent<?>> events) {
        Set<UUID> ids = new HashSet<>();
        events.forEach(event -> ids.add(event.uuid()));
        return ids;
    }

    /** Reads a subscription on a thread of its own until told to stop, then to the end of the committed log. */
    static final class Reader implements AutoCloseable {

        final List<RecordedEvent<?>> delivered = Collections.synchronizedList(new ArrayList<>());
        private final EventStore store;
        private final Subscription subscription;
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Future<?> reading;

        Reader(EventStore store) {
            this.store = store;
            this.subscription = store.subscribe().inAllTenants().build();
            this.reading = thread.submit(() -> {
                while (!stopping.get()) {
                    delivered.addAll(subscription.poll(100, Duration.ofMillis(500)));
                }
                return null;
            });
        }

        Set<UUID> deliveredIds() {
            Set<UUID> ids = new HashSet<>();
            List.copyOf(delivered).forEach(event -> ids.add(event.wrappedEvent().uuid()));
            return ids;
        }

        /** Waits until the subscription has delivered every one of the given events. */
        void awaitDelivery(Set<UUID> ids, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!deliveredIds().containsAll(ids) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws Exception {
            if (stopping.getAndSet(true)) {
                return;
            }
            reading.get(60, TimeUnit.SECONDS);
            thread.shutdown();
            store.position();
            List<RecordedEvent<?>> rest;
            while (!(rest = subscription.poll(500, Duration.ZERO)).isEmpty()) {
                delivered.addAll(rest);
            }
            subscription.close();
        }
    }

    /** Once each, in strictly increasing positions. */
    private static void assertDeliveredOnceInOrder(List<RecordedEvent<?>> delivered) {
        assertThat(delivered).extracting(event -> event.position().value()).isSorted().doesNotHaveDuplicates();
        assertThat(delivered).extracting(event -> event.wrappedEvent().uuid()).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aTransactionHeldOpenWhileOthersCommitIsDeliveredWhenItCommitsAndARolledBackOneNever(TestDatabase database)
            throws Exception {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        JpaEventStorage storage = context.storage();
        EventStore store = StorageEventStore.builder(storage).build();
        TransactionTemplate transactions = context.transactions();
        List<WrappedEvent<?>> held = numbers(5);
        List<WrappedEvent<?>> rolledBack = numbers(3);
        Set<UUID> others = Collections.synchronizedSet(new HashSet<>());
        CountDownLatch heldAppended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(6);
        Reader reader = new Reader(store);
        try (reader) {
            Future<?> holder = threads.submit(() -> transactions.executeWithoutResult(status -> {
                store.append(StreamId.named("held"), Versioning.ANY, held);
                heldAppended.countDown();
                await(release);
            }));
            assertThat(heldAppended.await(30, TimeUnit.SECONDS)).isTrue();
            long heldSince = System.nanoTime();
            Future<?> rollingBack = threads.submit(() -> transactions.executeWithoutResult(status -> {
                store.append(StreamId.named("rolled-back"), Versioning.ANY, rolledBack);
                status.setRollbackOnly();
            }));
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < 75; i++) {
                        List<WrappedEvent<?>> events = numbers(1);
                        store.append(StreamId.named("stream-" + ThreadLocalRandom.current().nextInt(20)), Versioning.ANY,
                                events);
                        others.addAll(ids(events));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
            rollingBack.get(60, TimeUnit.SECONDS);

            // the others are read while the held transaction is still open: nothing waits for it
            reader.awaitDelivery(others, Duration.ofSeconds(30));
            assertThat(reader.deliveredIds()).containsAll(others).doesNotContainAnyElementsOf(ids(held));
            long remaining = HELD.toNanos() - (System.nanoTime() - heldSince);
            if (remaining > 0) {
                TimeUnit.NANOSECONDS.sleep(remaining);
            }
            release.countDown();
            holder.get(60, TimeUnit.SECONDS);
            reader.awaitDelivery(ids(held), Duration.ofSeconds(30));
        } finally {
            release.countDown();
            threads.shutdownNow();
        }

        List<RecordedEvent<?>> delivered = reader.delivered;
        Set<UUID> committed = new HashSet<>(others);
        committed.addAll(ids(held));
        assertThat(reader.deliveredIds()).isEqualTo(committed).doesNotContainAnyElementsOf(ids(rolledBack));
        assertDeliveredOnceInOrder(delivered);
        long lastOther = delivered.stream().filter(event -> others.contains(event.wrappedEvent().uuid()))
                .mapToLong(event -> event.position().value()).max().orElseThrow();
        assertThat(delivered).filteredOn(event -> ids(held).contains(event.wrappedEvent().uuid()))
                .as("committed last, the held events come last in the log")
                .allSatisfy(event -> assertThat(event.position().value()).isGreaterThan(lastOther));
        assertThat(store.loadStream(StreamId.named("rolled-back"))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void twoInstancesOnSeparatePoolsWritingTheSameStreamsMakeOneCompleteOrderedLog(TestDatabase database)
            throws Exception {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        HikariDataSource secondPool = new HikariDataSource();
        secondPool.setJdbcUrl(database.url());
        secondPool.setUsername(database.user());
        secondPool.setPassword(database.password());
        secondPool.setMaximumPoolSize(10);
        LocalContainerEntityManagerFactoryBean secondUnit = new LocalContainerEntityManagerFactoryBean();
        secondUnit.setDataSource(secondPool);
        secondUnit.setPackagesToScan(JpaEventStorage.class.getPackageName());
        secondUnit.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        secondUnit.afterPropertiesSet();
        EntityManagerFactory second = secondUnit.getObject();
        JpaEventStorage firstStorage = context.storage();
        JpaEventStorage secondStorage = new JpaEventStorage(second, new JpaTransactionManager(second));
        List<EventStore> instances = List.of(StorageEventStore.builder(firstStorage).build(),
                StorageEventStore.builder(secondStorage).build());
        Map<String, List<UUID>> versionlessByWriter = new HashMap<>();
        StreamId versionless = StreamId.named("shared-versionless");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<RecordedEvent<?>> delivered;
        try (Reader reader = new Reader(instances.get(1))) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                EventStore store = instances.get(w % 2);
                List<UUID> mine = Collections.synchronizedList(new ArrayList<>());
                versionlessByWriter.put("writer-" + w, mine);
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        List<WrappedEvent<?>> events = numbers(1 + i % 3);
                        if (i % 4 == 0) {
                            store.append(versionless, Versioning.NO_VERSIONING, events);
                            events.forEach(event -> mine.add(event.uuid()));
                        } else {
                            store.append(StreamId.named("shared-" + ThreadLocalRandom.current().nextInt(6)),
                                    Versioning.ANY, events);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
            reader.close();
            delivered = reader.delivered;
        } finally {
            threads.shutdownNow();
            secondStorage.close();
            secondUnit.destroy();
            secondPool.close();
        }

        int stored = context.jdbc.queryForObject("select count(*) from es_event", Integer.class);
        assertThat(delivered).hasSize(stored);
        assertDeliveredOnceInOrder(delivered);
        Map<StreamId, List<Long>> versions = new HashMap<>();
        List<UUID> versionlessOrder = new ArrayList<>();
        for (RecordedEvent<?> event : delivered) {
            if (event.streamId().equals(versionless)) {
                versionlessOrder.add(event.wrappedEvent().uuid());
            } else {
                versions.computeIfAbsent(event.streamId(), stream -> new ArrayList<>()).add(event.wrappedEvent().version());
            }
        }
        versions.values().forEach(streamVersions -> assertThat(streamVersions).isSorted().doesNotHaveDuplicates()
                .startsWith(1L).endsWith((long) streamVersions.size()));
        // the versionless stream loads in the order the log has it, and keeps every writer's own order
        assertThat(instances.get(0).loadStream(versionless)).extracting(WrappedEvent::uuid)
                .containsExactlyElementsOf(versionlessOrder);
        versionlessByWriter.values().forEach(mine -> assertThat(versionlessOrder).containsSubsequence(mine));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

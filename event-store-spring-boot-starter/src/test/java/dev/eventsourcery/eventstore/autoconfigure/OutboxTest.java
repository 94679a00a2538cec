package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyWithdrawn;
import dev.eventsourcery.eventstore.spring.outbox.OutboxMessage;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublishException;
import dev.eventsourcery.eventstore.spring.outbox.OutboxPublisher;
import dev.eventsourcery.eventstore.spring.projection.ProjectionState;
import dev.eventsourcery.eventstore.spring.projection.Projections;

/**
 * The broker-neutral outbox: a projection declared from properties that hands the log's events, filtered, to
 * the application's {@link OutboxPublisher}, moving its checkpoint only when the publisher returned. Each test
 * names its outbox uniquely, as the server databases are shared by the run.
 */
class OutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class, EventStoreOutboxAutoConfiguration.class,
                    EventStoreProjectionsAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("event-store.projections.initial-back-off=10ms",
                    "event-store.projections.max-back-off=50ms", "event-store.projections.poll-timeout=200ms",
                    "event-store.projections.lease-timeout=3s");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    /** Keeps what it was given, or throws while told to. */
    static class RecordingPublisher implements OutboxPublisher {

        final List<OutboxMessage> published = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean failing;

        @Override
        public void publish(List<OutboxMessage> messages) {
            calls.incrementAndGet();
            if (failing) {
                throw new OutboxPublishException("the broker is away");
            }
            published.addAll(messages);
        }

        List<UUID> ids() {
            return published.stream().map(OutboxMessage::eventId).toList();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Publisher {
        @Bean
        RecordingPublisher recordingPublisher() {
            return new RecordingPublisher();
        }
    }

    private static String name() {
        return "outbox-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theOutboxIsOffByDefaultAndWithoutAPublisher() {
        runner.withPropertyValues("spring.datasource.generate-unique-name=true").withUserConfiguration(Publisher.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean("eventStoreOutbox");
                    assertThat(context.getBean(Projections.class).names()).doesNotContain("outbox");
                });
        runner.withPropertyValues("spring.datasource.generate-unique-name=true", "event-store.outbox.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("eventStoreOutbox"));
    }

    @Test
    void aBadTenantOrNameStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("spring.datasource.generate-unique-name=true", "event-store.outbox.enabled=true",
                "event-store.outbox.tenants=acme,not a tenant").withUserConfiguration(Publisher.class)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("event-store.outbox.tenants").hasMessageContaining("not a tenant"));
        runner.withPropertyValues("spring.datasource.generate-unique-name=true", "event-store.outbox.enabled=true",
                "event-store.outbox.batch-size=0").withUserConfiguration(Publisher.class)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("event-store.outbox.batch-size"));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyCommittedEventIsPublishedOnceInLogOrderWithItsEnvelope(TestDatabase database) {
        database.assumeReachable();
        String name = name();
        runner.withPropertyValues(database.properties()).withUserConfiguration(Publisher.class)
                .withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.name=" + name,
                        "event-store.outbox.batch-size=7")
                .run(context -> {
                    assertThat(context.getBean(Projections.class).names()).contains(name);
                    EventStore store = context.getBean(EventStore.class);
                    RecordingPublisher publisher = context.getBean(RecordingPublisher.class);
                    UUID correlation = UUID.randomUUID();
                    StreamId stream = StreamId.named("acc-" + UUID.randomUUID()).withCategory("account");
                    WrappedEvent<MoneyDeposited> first = WrappedEvent.wrap(new MoneyDeposited("a", 5), null,
                            Context.empty().withCorrelationId(correlation).with("user", "ann"));
                    store.append(stream, 0, first);
                    for (int i = 1; i < 30; i++) {
                        store.appendEvents(stream, i, new MoneyDeposited("a", i));
                    }
                    TransactionTemplate transaction = new TransactionTemplate(
                            context.getBean(PlatformTransactionManager.class));
                    transaction.executeWithoutResult(status -> {
                        store.appendEvents(StreamId.random(), 0, new MoneyWithdrawn("rolled back", 1));
                        status.setRollbackOnly();
                    });
                    store.scopedForTenant("acme").appendEvents(StreamId.random(), 0, new MoneyWithdrawn("b", 2));

                    await().atMost(WAIT).until(() -> publisher.published.size() >= 31);
                    Thread.sleep(300);
                    assertThat(publisher.published).hasSize(31);
                    assertThat(publisher.ids()).doesNotHaveDuplicates();
                    assertThat(publisher.published).extracting(OutboxMessage::position).isSorted();
                    assertThat(publisher.published).noneMatch(message -> message.payload().contains("rolled back"));
                    OutboxMessage message = publisher.published.get(0);
                    assertThat(message.eventId()).isEqualTo(first.uuid());
                    assertThat(message.eventType()).isEqualTo("ledger.MoneyDeposited");
                    assertThat(message.streamId()).isEqualTo(stream.uuid());
                    assertThat(message.streamName()).isEqualTo(stream.name());
                    assertThat(message.category()).isEqualTo("account");
                    assertThat(message.tenant()).isNull();
                    assertThat(message.version()).isEqualTo(1L);
                    assertThat(message.createdAt()).isEqualTo(first.createdAt());
                    assertThat(message.correlationId()).isEqualTo(correlation);
                    assertThat(message.causationId()).isNull();
                    assertThat(message.attributes()).containsEntry("user", "ann");
                    assertThat(message.payload()).isEqualTo("{\"account\":\"a\",\"amount\":5}");
                    assertThat(message.event()).isEqualTo(new MoneyDeposited("a", 5));
                    OutboxMessage last = publisher.published.get(30);
                    assertThat(last.tenant()).isEqualTo("acme");
                    assertThat(last.version()).isEqualTo(1L);
                    assertThat(last.eventType()).isEqualTo("ledger.MoneyWithdrawn");
                    assertThat(last.streamName()).isNull();
                    assertThat(last.category()).isNull();
                    long head = store.position().orElseThrow().value();
                    await().atMost(WAIT).until(() -> context.getBean(Projections.class).status(name).orElseThrow()
                            .checkpoint() == head);
                });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theFiltersLetOnlyTheirCategoriesTypesAndTenantsThrough(TestDatabase database) {
        database.assumeReachable();
        String name = name();
        runner.withPropertyValues(database.properties()).withUserConfiguration(Publisher.class)
                .withPropertyValues("event-store.outbox.enabled=true", "event-store.outbox.name=" + name,
                        "event-store.outbox.categories=account,loan",
                        "event-store.outbox.event-types=ledger.MoneyDeposited",
                        "event-store.outbox.tenants[0]=", "event-store.outbox.tenants[1]=acme")
                .run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    RecordingPublisher publisher = context.getBean(RecordingPublisher.class);
                    store.appendEvents(StreamId.random().withCategory("account"), 0, new MoneyDeposited("in", 1));
                    store.appendEvents(StreamId.random().withCategory("account"), 0, new MoneyWithdrawn("type", 1));
                    store.appendEvents(StreamId.random().withCategory("other"), 0, new MoneyDeposited("category", 1));
                    store.appendEvents(StreamId.random(), 0, new MoneyDeposited("no category", 1));
                    store.scopedForTenant("acme").appendEvents(StreamId.random().withCategory("loan"), 0,
                            new MoneyDeposited("in", 2));
                    store.scopedForTenant("globex").appendEvents(StreamId.random().withCategory("loan"), 0,
                            new MoneyDeposited("tenant", 2));
                    store.appendEvents(StreamId.random().withCategory("loan"), 0, new MoneyDeposited("in", 3));
                    long head = store.position().orElseThrow().value();

                    await().atMost(WAIT).until(() -> context.getBean(Projections.class).status(name).orElseThrow()
                            .checkpoint() == head);
                    assertThat(publisher.published).extracting(message -> ((MoneyDeposited) message.event()).amount())
                            .containsExactly(1L, 2L, 3L);
                });
    }

    @Test
    void aFailingPublisherKeepsTheCheckpointAndIsRetriedUntilItTakesTheEvents() {
        String name = name();
        runner.withPropertyValues("spring.datasource.generate-unique-name=true", "event-store.outbox.enabled=true",
                "event-store.outbox.name=" + name).withUserConfiguration(Publisher.class).run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    Projections projections = context.getBean(Projections.class);
                    RecordingPublisher publisher = context.getBean(RecordingPublisher.class);
                    publisher.failing = true;
                    long before = store.position().map(Position::value).orElse(0L);
                    StreamId stream = StreamId.random();
                    for (int i = 0; i < 5; i++) {
                        store.appendEvents(stream, i, new MoneyDeposited("a", i));
                    }
                    // more attempts than the projections' 3: the outbox never gives up on an event
                    await().atMost(WAIT).until(() -> publisher.calls.get() > 10);
                    assertThat(projections.status(name).orElseThrow()).satisfies(status -> {
                        assertThat(status.state()).isEqualTo(ProjectionState.RUNNING);
                        assertThat(status.checkpoint()).isEqualTo(before);
                        assertThat(status.lag()).isEqualTo(5);
                    });
                    assertThat(publisher.published).isEmpty();

                    publisher.failing = false;
                    await().atMost(WAIT).until(() -> publisher.published.size() == 5);
                    assertThat(publisher.published).extracting(message -> ((MoneyDeposited) message.event()).amount())
                            .containsExactly(0L, 1L, 2L, 3L, 4L);
                    await().atMost(WAIT).until(() -> projections.status(name).orElseThrow().lag() == 0);
                });
    }

    @Test
    void aPauseBetweenTwoAttemptsStopsTheRetries() {
        String name = name();
        runner.withPropertyValues("spring.datasource.generate-unique-name=true", "event-store.outbox.enabled=true",
                "event-store.outbox.name=" + name).withUserConfiguration(Publisher.class).run(context -> {
                    Projections projections = context.getBean(Projections.class);
                    RecordingPublisher publisher = context.getBean(RecordingPublisher.class);
                    publisher.failing = true;
                    context.getBean(EventStore.class).appendEvents(StreamId.random(), 0, new MoneyDeposited("a", 1));
                    await().atMost(WAIT).until(() -> publisher.calls.get() > 3);
                    projections.pause(name);
                    Thread.sleep(200);
                    int calls = publisher.calls.get();
                    Thread.sleep(500);
                    assertThat(publisher.calls.get()).isEqualTo(calls);

                    publisher.failing = false;
                    projections.resume(name);
                    await().atMost(WAIT).until(() -> publisher.published.size() == 1);
                });
    }
}

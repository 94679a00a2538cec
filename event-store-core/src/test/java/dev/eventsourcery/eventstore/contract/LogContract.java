package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.SubscriptionBuilder;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.UnknownEventTypeException;
import dev.eventsourcery.eventstore.UnreadableEventException;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.TextNoted;
import dev.eventsourcery.eventstore.contract.ContractEvents.TextNotedAsNumber;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;

/** The log: every committed event of the store in one order, read by subscriptions from a checkpoint. */
public interface LogContract extends ContractFixture {

    /** How long a poll may wait for events that are already committed. */
    Duration AVAILABLE = Duration.ofSeconds(5);

    /** Everything a subscription delivers until a poll comes back empty after a short wait. */
    static List<RecordedEvent<?>> drain(Subscription subscription, int batch) {
        List<RecordedEvent<?>> delivered = new ArrayList<>();
        while (true) {
            List<RecordedEvent<?>> polled = subscription.poll(batch, Duration.ofMillis(300));
            if (polled.isEmpty()) {
                return delivered;
            }
            assertThat(polled).hasSizeLessThanOrEqualTo(batch);
            delivered.addAll(polled);
        }
    }

    static List<RecordedEvent<?>> drain(SubscriptionBuilder builder) {
        try (Subscription subscription = builder.build()) {
            return drain(subscription, 1000);
        }
    }

    static List<Position> positions(List<RecordedEvent<?>> events) {
        return events.stream().map(RecordedEvent::position).toList();
    }

    static List<Object> payloads(List<RecordedEvent<?>> events) {
        return events.stream().<Object>map(RecordedEvent::event).toList();
    }

    static List<WrappedEvent<?>> envelopes(List<RecordedEvent<?>> events) {
        return events.stream().<WrappedEvent<?>>map(RecordedEvent::wrappedEvent).toList();
    }

    @Test
    default void anEmptyLogDeliversNothingOnceTheTimeLimitPasses() {
        try (Subscription subscription = store().subscribe().build()) {
            long started = System.nanoTime();
            assertThat(subscription.poll(10, Duration.ofMillis(200))).isEmpty();
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
            assertThat(subscription.position()).isEmpty();
        }
    }

    @Test
    default void deliversEveryEventInCommitOrderAcrossStreamsWithItsStreamTenantAndPosition() {
        StreamId first = StreamId.named("log-first").withCategory("orders");
        StreamId second = StreamId.random();
        List<WrappedEvent<?>> appended = new ArrayList<>();
        appended.addAll(givenStream(first, 2));
        appended.addAll(givenStream(second, 1));
        WrappedEvent<TextNoted> third = WrappedEvent.wrap(new TextNoted("third"));
        store().append(first, 2, third);
        appended.add(third.withVersion(3L));

        List<RecordedEvent<?>> delivered = drain(store().subscribe());

        assertThat(envelopes(delivered)).containsExactlyElementsOf(appended);
        assertThat(delivered).extracting(RecordedEvent::streamId).containsExactly(first, first, second, first);
        assertThat(delivered.get(0).streamId().name()).isEqualTo("log-first");
        assertThat(delivered).extracting(RecordedEvent::tenantId).containsOnly(TenantId.DEFAULT);
        assertThat(positions(delivered)).isSorted().doesNotHaveDuplicates();
        assertThat(store().position()).contains(delivered.get(3).position());
    }

    @Test
    default void pollDeliversAtMostTheAskedNumberAndContinuesWhereItStopped() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> appended = givenStream(stream, 7);

        try (Subscription subscription = store().subscribe().build()) {
            List<RecordedEvent<?>> delivered = new ArrayList<>();
            delivered.addAll(subscription.poll(3, AVAILABLE));
            assertThat(delivered).hasSize(3);
            assertThat(subscription.position()).contains(delivered.get(2).position());
            delivered.addAll(subscription.poll(3, AVAILABLE));
            delivered.addAll(subscription.poll(3, AVAILABLE));
            assertThat(envelopes(delivered)).containsExactlyElementsOf(appended);
            assertThat(subscription.poll(3, Duration.ZERO)).isEmpty();
        }
    }

    @Test
    default void aSubscriptionAfterAnyDeliveredPositionDeliversExactlyTheRest() {
        givenStream(StreamId.random(), 3);
        store().scopedForTenant("acme").appendEvents(StreamId.random(), 0, new NumberAdded(1));
        store().append(StreamId.random(), Versioning.NO_VERSIONING, numbers(1, 2));
        List<RecordedEvent<?>> all = drain(store().subscribe().inAllTenants());
        assertThat(all).hasSize(6);

        for (int i = 0; i < all.size(); i++) {
            SubscriptionBuilder rest = store().subscribe().inAllTenants().after(all.get(i).position());
            assertThat(drain(rest)).as("after position %s", all.get(i).position()).isEqualTo(all.subList(i + 1, all.size()));
        }
        try (Subscription resumed = store().subscribe().after(all.get(2).position()).build()) {
            assertThat(resumed.position()).contains(all.get(2).position());
        }
    }

    @Test
    default void aSubscriptionSeesItsTenantOnlyUnlessItAsksForAll() {
        StreamId stream = StreamId.named("same-id-everywhere");
        givenStream(stream, 1);
        givenStream(store().scopedForTenant("acme"), stream, 2);
        givenStream(store().scopedForTenant("globex"), stream, 1);

        assertThat(drain(store().subscribe())).extracting(RecordedEvent::tenantId).containsExactly(TenantId.DEFAULT);
        assertThat(drain(store().scopedForTenant("acme").subscribe())).extracting(RecordedEvent::tenantId)
                .containsExactly(TenantId.of("acme"), TenantId.of("acme"));
        assertThat(drain(store().scopedForTenant().subscribe())).hasSize(1);
        List<RecordedEvent<?>> all = drain(store().scopedForTenant("globex").subscribe().inAllTenants());
        assertThat(all).extracting(RecordedEvent::tenantId).containsExactly(TenantId.DEFAULT, TenantId.of("acme"),
                TenantId.of("acme"), TenantId.of("globex"));
        assertThat(positions(all)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    default void categoryAndEventFiltersCombineAndKeepPositionsOfTheWholeLog() {
        StreamId order = StreamId.random().withCategory("orders");
        StreamId invoice = StreamId.random().withCategory("invoices");
        StreamId plain = StreamId.random();
        store().appendEvents(order, 0, new NumberAdded(1), new TextNoted("order noted"));
        store().appendEvents(invoice, 0, new TextNoted("invoice noted"), new NumberAdded(2));
        store().appendEvents(plain, 0, new TextNoted("plain noted"));
        store().appendEvents(order, 2, new NumberAdded(3));
        List<RecordedEvent<?>> all = drain(store().subscribe());

        assertThat(payloads(drain(store().subscribe().toCategory("orders"))))
                .containsExactly(new NumberAdded(1), new TextNoted("order noted"), new NumberAdded(3));
        assertThat(payloads(drain(store().subscribe().toEvents(TextNoted.class)))).containsExactly(
                new TextNoted("order noted"), new TextNoted("invoice noted"), new TextNoted("plain noted"));
        assertThat(payloads(drain(store().subscribe().toEvents(TextNoted.class, Total.class).toCategory("invoices"))))
                .containsExactly(new TextNoted("invoice noted"));
        assertThat(drain(store().subscribe().toCategory("nothing-here"))).isEmpty();
        // a filtered subscription's checkpoint is a position in the whole log: resume one with another
        List<RecordedEvent<?>> orders = drain(store().subscribe().toCategory("orders").after(all.get(1).position()));
        assertThat(payloads(orders)).containsExactly(new NumberAdded(3));
        assertThat(orders.get(0).position()).isEqualTo(all.get(5).position());
    }

    @Test
    default void versionlessStreamsAreDeliveredInAppendOrderAndSnapshotsNotAtAll() {
        StreamId versionless = StreamId.random();
        StreamId versioned = StreamId.random();
        store().append(versionless, Versioning.NO_VERSIONING, numbers(1, 2));
        givenStream(versioned, 2);
        store().append(versionless, Versioning.NO_VERSIONING, numbers(3, 1));
        store().saveSnapshot(versioned, WrappedEvent.wrap(new Total(3, 2), 2L));

        List<RecordedEvent<?>> delivered = drain(store().subscribe());

        assertThat(payloads(delivered)).containsExactly(new NumberAdded(1), new NumberAdded(2), new NumberAdded(1),
                new NumberAdded(2), new NumberAdded(3));
        assertThat(delivered).extracting(event -> event.wrappedEvent().version()).containsExactly(null, null, 1L, 2L, null);
    }

    @Test
    default void eventsOfADeletedStreamThatWereNotDeliveredAreNot() {
        StreamId deleted = StreamId.random();
        StreamId kept = StreamId.random();
        givenStream(deleted, 2);
        givenStream(kept, 1);
        try (Subscription subscription = store().subscribe().build()) {
            assertThat(subscription.poll(1, AVAILABLE)).extracting(RecordedEvent::streamId).containsExactly(deleted);
            store().deleteStream(deleted);
            store().appendEvents(deleted, 0, new NumberAdded(9));

            List<RecordedEvent<?>> rest = drain(subscription, 10);

            assertThat(rest).extracting(RecordedEvent::streamId).containsExactly(kept, deleted);
            assertThat(payloads(rest)).containsExactly(new NumberAdded(1), new NumberAdded(9));
        }
    }

    @Test
    default void aWaitingPollReturnsAsSoonAsAnotherThreadAppends() throws Exception {
        StreamId stream = StreamId.random();
        try (Subscription subscription = store().subscribe().build()) {
            CompletableFuture<List<RecordedEvent<?>>> polled =
                    CompletableFuture.supplyAsync(() -> subscription.poll(10, Duration.ofSeconds(20)));
            Thread.sleep(200);
            long appendedAt = System.nanoTime();
            store().appendEvents(stream, 0, new NumberAdded(1));

            List<RecordedEvent<?>> delivered = polled.get(20, TimeUnit.SECONDS);

            assertThat(delivered).extracting(RecordedEvent::streamId).containsExactly(stream);
            assertThat(System.nanoTime() - appendedAt).as("delivered well before the time limit")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    default void aClosedSubscriptionRefusesToPoll() {
        Subscription subscription = store().subscribe().build();
        subscription.close();
        assertThatThrownBy(() -> subscription.poll(1, Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    default void badArgumentsAreRefused() {
        try (Subscription subscription = store().subscribe().build()) {
            assertThatThrownBy(() -> subscription.poll(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least one");
            assertThatThrownBy(() -> subscription.poll(1, Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
            assertThatThrownBy(() -> subscription.poll(1, null)).isInstanceOf(NullPointerException.class);
        }
        Object anonymous = new Object() {
        };
        assertThatThrownBy(() -> store().subscribe().toEvents(anonymous.getClass()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().subscribe().toEvents()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().subscribe().toCategory(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().subscribe().after(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    default void aClassWhoseNameAnotherClassHoldsCannotBeSubscribedTo() {
        store().appendEvents(StreamId.random(), 0, new NumberAdded(1));
        assertThatThrownBy(() -> store().subscribe().toEvents(Other.NumberAdded.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NumberAdded");
    }

    @Test
    default void theInjectedStoresTenantIsResolvedOnceWhenSubscribing() {
        givenStream(store().scopedForTenant("acme"), StreamId.random(), 1);
        givenStream(StreamId.random(), 1);
        EventStore acme = store().scopedForTenant("acme");
        SubscriptionBuilder builder = acme.subscribe();
        assertThat(drain(builder)).extracting(RecordedEvent::tenantId).containsExactly(TenantId.of("acme"));
    }

    @Test
    default void anEventOfATypeWithoutAClassIsReportedWhereItLiesOnceTheEventsBeforeItAreDelivered() {
        EventTypeRegistry onlyNumbers = new EventTypeRegistry().register(NumberAdded.class);
        assertTheUnreadableEventIsReportedAfterTheOnesBeforeIt(storeWith(onlyNumbers), UnknownEventTypeException.class);
    }

    @Test
    default void anEventWhoseJsonNoLongerReadsAsItsClassIsReportedWhereItLiesOnceTheEventsBeforeItAreDelivered() {
        EventTypeRegistry changedClass = new EventTypeRegistry().register(NumberAdded.class)
                .register(TextNotedAsNumber.class);
        assertTheUnreadableEventIsReportedAfterTheOnesBeforeIt(storeWith(changedClass),
                EventSerializationException.class);
    }

    /**
     * Given two events, a {@link TextNoted} in tenant acme that {@code reading} cannot read, and one more: a poll
     * delivers the first two, the next one reports the third with where it lies (again on every poll), and a
     * subscription after it delivers the last.
     */
    private void assertTheUnreadableEventIsReportedAfterTheOnesBeforeIt(EventStore reading,
            Class<? extends Exception> reason) {
        StreamId stream = StreamId.named("log-unreadable").withCategory("notes");
        EventStore acme = store().scopedForTenant("acme");
        acme.append(stream, 0, numbers(1, 2));
        WrappedEvent<TextNoted> unreadable = WrappedEvent.wrap(new TextNoted("not a number"));
        acme.append(stream, 2, unreadable);
        acme.appendEvents(stream, 3, new NumberAdded(4));
        List<Position> positions = positions(drain(store().subscribe().inAllTenants()));

        try (Subscription subscription = reading.subscribe().inAllTenants().build()) {
            assertThat(positions(subscription.poll(10, AVAILABLE))).containsExactlyElementsOf(positions.subList(0, 2));
            for (int poll = 0; poll < 2; poll++) {
                assertThatThrownBy(() -> subscription.poll(10, AVAILABLE))
                        .isInstanceOfSatisfying(UnreadableEventException.class, e -> {
                            assertThat(e.position()).isEqualTo(positions.get(2));
                            assertThat(e.tenantId()).isEqualTo(TenantId.of("acme"));
                            assertThat(e.streamId()).isEqualTo(stream);
                            assertThat(e.eventType()).isEqualTo("contract.TextNoted");
                            assertThat(e.eventId()).isEqualTo(unreadable.uuid());
                        })
                        .hasCauseInstanceOf(reason)
                        .hasMessageContaining("position " + positions.get(2).value())
                        .hasMessageContaining("'contract.TextNoted'")
                        .hasMessageContaining("log-unreadable")
                        .hasMessageContaining("tenant 'acme'");
                assertThat(subscription.position()).contains(positions.get(1));
            }
        }
        assertThat(positions(drain(reading.subscribe().inAllTenants().after(positions.get(2)))))
                .containsExactly(positions.get(3));
    }

    /** A class with the simple name of {@link NumberAdded}. */
    final class Other {
        private Other() {
        }

        record NumberAdded(int value) {
        }
    }
}

package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventType;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.EventUpcasters;
import dev.eventsourcery.eventstore.serialization.Upcaster;

/**
 * Events keep the type name and schema version they were written with; a store whose classes have moved on
 * reads them through its upcasters and aliases, in {@code loadStream}, subscriptions and snapshots alike,
 * and never rewrites them. Each test writes with a store that knows only the older classes.
 */
public interface UpcastingContract extends ContractFixture {

    /** A deposit as the first version of the application wrote it. */
    @EventType("contract.Deposit")
    record DepositV1(int cents) {
    }

    /** The second version: a deposit has a currency; older ones were in euros. */
    @EventType(value = "contract.Deposit", version = 2)
    record DepositV2(int cents, String currency) {
    }

    /** The third version: the amount is in whole units and named so. */
    @EventType(value = "contract.Deposit", version = 3)
    record DepositV3(double amount, String currency) {
    }

    /** A type under its first name. */
    @EventType("contract.Credit")
    record Credit(int cents) {
    }

    /** The same type renamed, its JSON unchanged: the old name is an alias. */
    @EventType(value = "contract.CreditGranted", aliases = "contract.Credit")
    record CreditGranted(int cents) {
    }

    /** The renamed type changed its JSON too: older events, under either name, pass through its upcaster. */
    @EventType(value = "contract.CreditGranted", version = 2, aliases = "contract.Credit")
    record CreditGrantedWithReason(int cents, String reason) {
    }

    /** A type whose JSON and name change in one step. */
    @EventType("contract.Legacy")
    record Legacy(String label) {
    }

    /** What {@link Legacy} became: an upcaster renames it and its field. */
    @EventType(value = "contract.Modern", version = 2)
    record Modern(String title) {
    }

    /** A price as the first version wrote it. */
    @EventType("contract.Price")
    record PriceV1(BigDecimal amount) {
    }

    /** The second version: with its currency. */
    @EventType(value = "contract.Price", version = 2)
    record PriceV2(BigDecimal amount, String currency) {
    }

    /** A snapshot as the first version wrote it. */
    @EventType("contract.Balance")
    record BalanceV1(int cents) {
    }

    /** The second version of the snapshot. */
    @EventType(value = "contract.Balance", version = 2)
    record BalanceV2(int cents, String currency) {
    }

    /** A transfer as the first version wrote it; the second version calls these payments. */
    @EventType("contract.Transfer")
    record TransferV1(int cents) {
    }

    /** What the first version's transfers are read as: an upcaster renames them. */
    @EventType(value = "contract.Payment", version = 2)
    record Payment(int cents) {
    }

    /** Another event that took the freed name over, at the next schema version. */
    @EventType(value = "contract.Transfer", version = 2)
    record TransferV2(int cents, String toAccount) {
    }

    Upcaster TRANSFERS_WERE_PAYMENTS = Upcaster.renaming("contract.Transfer", 1, "contract.Payment",
            UnaryOperator.identity());

    Upcaster DEPOSIT_IN_EUROS = Upcaster.of("contract.Deposit", 1, json -> json.put("currency", "EUR"));

    Upcaster DEPOSIT_IN_UNITS = Upcaster.of("contract.Deposit", 2, json -> {
        json.put("amount", json.get("cents").asInt() / 100.0);
        json.remove("cents");
        return json;
    });

    private EventStore older(Class<?>... classes) {
        return storeWith(new EventTypeRegistry().register(classes), EventUpcasters.NONE);
    }

    private EventStore newer(List<Upcaster> upcasters, Class<?>... classes) {
        return storeWith(new EventTypeRegistry().register(classes), EventUpcasters.of(upcasters));
    }

    @Test
    default void anEventWrittenByAnOlderClassLoadsThroughItsUpcasterAndItsRowIsNotRewritten() {
        StreamId streamId = StreamId.random();
        WrappedEvent<DepositV1> written = WrappedEvent.wrap(new DepositV1(500), null,
                Context.empty().with("channel", "counter"));
        older(DepositV1.class).append(streamId, 0, written);

        List<WrappedEvent<?>> loaded = newer(List.of(DEPOSIT_IN_EUROS), DepositV2.class).loadStream(streamId);

        assertThat(loaded).containsExactly(new WrappedEvent<>(new DepositV2(500, "EUR"), 1L, written.uuid(),
                written.createdAt(), written.context()));
        assertThat(older(DepositV1.class).loadStream(streamId)).containsExactly(written.withVersion(1L));
    }

    @Test
    default void upcastersChainFromEveryOlderVersionToTheClassesVersion() {
        StreamId streamId = StreamId.random();
        older(DepositV1.class).appendEvents(streamId, 0, new DepositV1(250));
        newer(List.of(DEPOSIT_IN_EUROS), DepositV2.class).appendEvents(streamId, 1, new DepositV2(1000, "CHF"));
        EventStore current = newer(List.of(DEPOSIT_IN_EUROS, DEPOSIT_IN_UNITS), DepositV3.class);
        current.appendEvents(streamId, 2, new DepositV3(7.5, "USD"));

        assertThat(current.loadStream(streamId)).extracting(event -> (Object) event.event()).containsExactly(
                new DepositV3(2.5, "EUR"), new DepositV3(10.0, "CHF"), new DepositV3(7.5, "USD"));
    }

    @Test
    default void subscriptionsReadUpcastEventsAndAFilterOnTheClassFindsTheOlderOnes() {
        StreamId streamId = StreamId.random();
        older(DepositV1.class, Legacy.class).appendEvents(streamId, 0, new DepositV1(100), new Legacy("first"));
        EventStore current = newer(List.of(DEPOSIT_IN_EUROS,
                Upcaster.renaming("contract.Legacy", 1, "contract.Modern", json -> {
                    json.set("title", json.remove("label"));
                    return json;
                })), DepositV2.class, Modern.class);
        current.appendEvents(streamId, 2, new Modern("second"));

        assertThat(LogContract.drain(current.subscribe())).extracting(event -> (Object) event.event())
                .containsExactly(new DepositV2(100, "EUR"), new Modern("first"), new Modern("second"));
        assertThat(LogContract.drain(current.subscribe().toEvents(Modern.class))).extracting(event -> (Object) event.event())
                .containsExactly(new Modern("first"), new Modern("second"));
        assertThat(current.loadStream(streamId, 2L, 3L)).extracting(event -> (Object) event.event())
                .containsExactly(new Modern("first"));
    }

    @Test
    default void aRenamedTypeLoadsUnderItsAliasAndItsSubscribersReceiveEventsOfBothNames() {
        StreamId streamId = StreamId.random();
        older(Credit.class).appendEvents(streamId, 0, new Credit(30));
        EventStore current = newer(List.of(), CreditGranted.class);
        current.appendEvents(streamId, 1, new CreditGranted(40));

        assertThat(current.loadStream(streamId)).extracting(event -> (Object) event.event())
                .containsExactly(new CreditGranted(30), new CreditGranted(40));
        assertThat(LogContract.drain(current.subscribe().toEvents(CreditGranted.class)))
                .extracting(event -> (Object) event.event()).containsExactly(new CreditGranted(30), new CreditGranted(40));
    }

    @Test
    default void anEventStoredUnderAnAliasPassesThroughTheUpcastersOfItsClasssOwnName() {
        StreamId streamId = StreamId.random();
        older(Credit.class).appendEvents(streamId, 0, new Credit(30));
        older(CreditGranted.class).appendEvents(streamId, 1, new CreditGranted(40));
        EventStore current = newer(List.of(Upcaster.of("contract.CreditGranted", 1,
                json -> json.put("reason", "unknown"))), CreditGrantedWithReason.class);

        assertThat(current.loadStream(streamId)).extracting(event -> (Object) event.event()).containsExactly(
                new CreditGrantedWithReason(30, "unknown"), new CreditGrantedWithReason(40, "unknown"));
        assertThat(LogContract.drain(current.subscribe().toEvents(CreditGrantedWithReason.class)))
                .extracting(event -> (Object) event.event()).containsExactly(
                        new CreditGrantedWithReason(30, "unknown"), new CreditGrantedWithReason(40, "unknown"));
    }

    /**
     * The log of the tests of a renamed type whose old name a newer class took over: transfers of the first
     * version (read as payments), transfers of the second, payments and a credit, mixed. Returns the store of
     * the current classes.
     */
    private EventStore givenTransfersRenamedToPaymentsAndANewerTransferUnderTheOldName() {
        EventStore older = older(TransferV1.class);
        EventStore current = newer(List.of(TRANSFERS_WERE_PAYMENTS), TransferV2.class, Payment.class, Credit.class);
        older.appendEvents(StreamId.random(), 0, new TransferV1(1));
        current.appendEvents(StreamId.random(), 0, new TransferV2(2, "savings"));
        current.appendEvents(StreamId.random(), 0, new Payment(3));
        current.appendEvents(StreamId.random(), 0, new Credit(4));
        current.appendEvents(StreamId.random(), 0, new TransferV2(5, "savings"), new TransferV2(6, "checking"));
        older.appendEvents(StreamId.random(), 0, new TransferV1(7));
        current.appendEvents(StreamId.random(), 0, new Payment(8));
        current.appendEvents(StreamId.random(), 0, new TransferV2(9, "savings"));
        return current;
    }

    /** The log's events of the given payloads, as an unfiltered subscription delivers them: positions included. */
    private static List<RecordedEvent<?>> inTheWholeLog(EventStore store, Object... payloads) {
        List<Object> wanted = List.of(payloads);
        return LogContract.drain(store.subscribe()).stream().filter(event -> wanted.contains(event.event())).toList();
    }

    @Test
    default void aFilterOnTheClassATypeWasRenamedToDeliversTheRenamedEventsButNotThoseOfTheNewerClassOfTheOldName() {
        EventStore current = givenTransfersRenamedToPaymentsAndANewerTransferUnderTheOldName();
        List<RecordedEvent<?>> payments = inTheWholeLog(current, new Payment(1), new Payment(3), new Payment(7),
                new Payment(8));

        List<RecordedEvent<?>> filtered = LogContract.drain(current.subscribe().toEvents(Payment.class));
        assertThat(LogContract.payloads(filtered)).containsExactly(new Payment(1), new Payment(3), new Payment(7),
                new Payment(8));
        assertThat(LogContract.positions(filtered)).containsExactlyElementsOf(LogContract.positions(payments));
        try (Subscription oneAtATime = current.subscribe().toEvents(Payment.class).build()) {
            assertThat(LogContract.drain(oneAtATime, 1)).extracting(event -> (Object) event.event()).containsExactly(
                    new Payment(1), new Payment(3), new Payment(7), new Payment(8));
            // its position is that of the last event it delivered, not of the newer transfer read after it
            assertThat(oneAtATime.position()).contains(payments.get(3).position());
        }
    }

    @Test
    default void aFilterOnTheNewerClassOfARenamedTypesOldNameDeliversOnlyItsOwnEvents() {
        EventStore current = givenTransfersRenamedToPaymentsAndANewerTransferUnderTheOldName();

        assertThat(LogContract.drain(current.subscribe().toEvents(TransferV2.class))).extracting(event -> (Object) event.event())
                .containsExactly(new TransferV2(2, "savings"), new TransferV2(5, "savings"),
                        new TransferV2(6, "checking"), new TransferV2(9, "savings"));
        try (Subscription oneAtATime = current.subscribe().toEvents(TransferV2.class).build()) {
            assertThat(LogContract.drain(oneAtATime, 1)).extracting(event -> (Object) event.event()).containsExactly(
                    new TransferV2(2, "savings"), new TransferV2(5, "savings"), new TransferV2(6, "checking"),
                    new TransferV2(9, "savings"));
        }
    }

    @Test
    default void aFilterOnSeveralClassesDeliversTheEventsReadAsAnyOfThemInLogOrder() {
        EventStore current = givenTransfersRenamedToPaymentsAndANewerTransferUnderTheOldName();

        assertThat(LogContract.drain(current.subscribe().toEvents(Payment.class, Credit.class)))
                .extracting(event -> (Object) event.event()).containsExactly(new Payment(1), new Payment(3), new Credit(4),
                        new Payment(7), new Payment(8));
        assertThat(LogContract.drain(current.subscribe().toEvents(Credit.class, TransferV2.class)))
                .extracting(event -> (Object) event.event()).containsExactly(new TransferV2(2, "savings"), new Credit(4),
                        new TransferV2(5, "savings"), new TransferV2(6, "checking"), new TransferV2(9, "savings"));
        assertThat(LogContract.drain(current.subscribe().toEvents(TransferV2.class, Payment.class)))
                .extracting(event -> (Object) event.event()).containsExactly(new Payment(1), new TransferV2(2, "savings"),
                        new Payment(3), new TransferV2(5, "savings"), new TransferV2(6, "checking"), new Payment(7),
                        new Payment(8), new TransferV2(9, "savings"));
    }

    @Test
    default void aFilterOnARenamedTypeResumesFromACheckpointAndAPollReadsOnPastEventsOfTheOldNameAtOnce() {
        EventStore current = givenTransfersRenamedToPaymentsAndANewerTransferUnderTheOldName();
        List<RecordedEvent<?>> transfers = inTheWholeLog(current, new TransferV2(5, "savings"));
        Position checkpoint;
        try (Subscription first = current.subscribe().toEvents(Payment.class).build()) {
            assertThat(first.poll(1, Duration.ofSeconds(5))).extracting(event -> (Object) event.event())
                    .containsExactly(new Payment(1));
            assertThat(first.poll(1, Duration.ofSeconds(5))).extracting(event -> (Object) event.event())
                    .containsExactly(new Payment(3));
            checkpoint = first.position().orElseThrow();
        }

        try (Subscription resumed = current.subscribe().toEvents(Payment.class).after(checkpoint).build()) {
            // a credit and two newer transfers lie between: the poll reads on past them rather than wait
            long started = System.nanoTime();
            assertThat(resumed.poll(1, Duration.ofSeconds(30))).extracting(event -> (Object) event.event())
                    .containsExactly(new Payment(7));
            assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(10));
            assertThat(resumed.poll(1, Duration.ZERO)).extracting(event -> (Object) event.event())
                    .containsExactly(new Payment(8));
            // only a newer transfer is left: nothing to deliver
            assertThat(resumed.poll(10, Duration.ofMillis(200))).isEmpty();
        }
        try (Subscription resumed = current.subscribe().toEvents(Payment.class).after(checkpoint).build()) {
            // nor does a poll that may not wait report nothing while a payment lies further on
            assertThat(resumed.poll(1, Duration.ZERO)).extracting(event -> (Object) event.event())
                    .containsExactly(new Payment(7));
        }
        // a checkpoint is a position in the whole log, here that of a newer transfer
        assertThat(LogContract.drain(current.subscribe().toEvents(Payment.class).after(transfers.get(0).position())))
                .extracting(event -> (Object) event.event()).containsExactly(new Payment(7), new Payment(8));
    }

    @Test
    default void aFilterOnARenamedTypeLeavesOutEventsOfTheOldNameThatNoClassReads() {
        givenTransfersRenamedToPaymentsAndANewerTransferUnderTheOldName();
        // an application that knows payments only: the newer transfers are not payments, whatever their class
        EventStore paymentsOnly = newer(List.of(TRANSFERS_WERE_PAYMENTS), Payment.class);

        assertThat(LogContract.drain(paymentsOnly.subscribe().toEvents(Payment.class)))
                .extracting(event -> (Object) event.event())
                .containsExactly(new Payment(1), new Payment(3), new Payment(7), new Payment(8));
    }

    @Test
    default void anUpcastEventKeepsItsDecimalsExactly() {
        StreamId streamId = StreamId.random();
        older(PriceV1.class).appendEvents(streamId, 0, new PriceV1(new BigDecimal("100.00")),
                new PriceV1(new BigDecimal("12345678901234567890.123456789")));

        List<WrappedEvent<?>> loaded = newer(List.of(Upcaster.of("contract.Price", 1, json -> json.put("currency", "EUR"))),
                PriceV2.class).loadStream(streamId);

        assertThat(loaded).extracting(event -> (Object) event.event()).containsExactly(
                new PriceV2(new BigDecimal("100.00"), "EUR"),
                new PriceV2(new BigDecimal("12345678901234567890.123456789"), "EUR"));
    }

    @Test
    default void aSnapshotWrittenByAnOlderClassIsUpcastToo() {
        StreamId streamId = StreamId.random();
        EventStore older = older(DepositV1.class, BalanceV1.class);
        older.appendEvents(streamId, 0, new DepositV1(100), new DepositV1(200));
        older.saveSnapshot(streamId, WrappedEvent.wrap(new BalanceV1(300), 2L));
        older.appendEvents(streamId, 2, new DepositV1(50));

        EventStore current = newer(List.of(DEPOSIT_IN_EUROS,
                Upcaster.of("contract.Balance", 1, json -> json.put("currency", "EUR"))),
                DepositV2.class, BalanceV2.class);

        assertThat(current.loadStream(streamId)).extracting(event -> (Object) event.event(), WrappedEvent::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(new BalanceV2(300, "EUR"), 2L),
                        org.assertj.core.groups.Tuple.tuple(new DepositV2(50, "EUR"), 3L));
    }

    @Test
    default void anOlderEventWithoutTheUpcasterItNeedsIsRefusedNamingTheMissingStep() {
        StreamId streamId = StreamId.random();
        older(DepositV1.class).appendEvents(streamId, 0, new DepositV1(100));
        EventStore withoutUpcaster = newer(List.of(), DepositV2.class);

        assertThatThrownBy(() -> withoutUpcaster.loadStream(streamId))
                .isInstanceOf(EventSerializationException.class)
                .hasMessageContaining("contract.Deposit")
                .hasMessageContaining(DepositV2.class.getName())
                .hasMessageContaining("no upcaster is registered for type 'contract.Deposit' from schema version 1");
    }

    @Test
    default void anEventOfANewerSchemaThanItsClassIsRefused() {
        StreamId streamId = StreamId.random();
        newer(List.of(), DepositV2.class).appendEvents(streamId, 0, new DepositV2(100, "EUR"));

        assertThatThrownBy(() -> older(DepositV1.class).loadStream(streamId))
                .isInstanceOf(EventSerializationException.class)
                .hasMessageContaining("schema version 2")
                .hasMessageContaining("newer than " + DepositV1.class.getName());
    }
}

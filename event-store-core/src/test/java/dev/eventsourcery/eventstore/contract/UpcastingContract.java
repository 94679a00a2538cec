package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventType;
import dev.eventsourcery.eventstore.StreamId;
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

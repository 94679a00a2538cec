package dev.eventsourcery.eventstore.aggregate;

import static dev.eventsourcery.eventstore.aggregate.Accounts.accounts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.aggregate.Accounts.Account;
import dev.eventsourcery.eventstore.aggregate.Accounts.AccountEvent;
import dev.eventsourcery.eventstore.aggregate.Accounts.Deposited;
import dev.eventsourcery.eventstore.aggregate.Accounts.Noted;
import dev.eventsourcery.eventstore.aggregate.Accounts.Opened;
import dev.eventsourcery.eventstore.aggregate.Accounts.Withdrawn;

/** Aggregate types: how events fold into the state, where streams live, and what a type must be given. */
class AggregateTypeTest {

    @Test
    void perClassHandlersFoldEachEventByItsClass() {
        AggregateType<Account> type = accounts().build();

        Account state = type.initialState();
        for (Object event : List.of(new Opened("ada"), new Deposited(100), new Withdrawn(30))) {
            state = type.evolve(state, event);
        }

        assertThat(state).isEqualTo(new Account("ada", 70, 2));
    }

    @Test
    void anEventWithoutAHandlerLeavesTheStateAsItIs() {
        AggregateType<Account> type = accounts().build();
        Account state = new Account("ada", 70, 2);

        assertThat(type.evolve(state, new Noted("called the bank"))).isSameAs(state);
    }

    @Test
    void aHandlerOfASupertypeTakesTheEventsOfItsSubtypesThatHaveNoneOfTheirOwn() {
        List<String> calls = new ArrayList<>();
        AggregateType<Account> type = AggregateType.builder("account", Account.class)
                .initialState(() -> Account.NONE)
                .on(Deposited.class, (account, deposited) -> {
                    calls.add("deposited");
                    return account.plus(deposited.amount());
                })
                .on(AccountEvent.class, (account, event) -> {
                    calls.add("any " + event.getClass().getSimpleName());
                    return account;
                })
                .build();

        type.evolve(Account.NONE, new Deposited(5));
        type.evolve(Account.NONE, new Withdrawn(5));
        type.evolve(Account.NONE, new Noted("not an account event"));

        assertThat(calls).containsExactly("deposited", "any Withdrawn");
    }

    interface Audited {
    }

    interface Priced {
    }

    record Charged(long amount) implements Audited, Priced {
    }

    static class BaseEvent implements Audited {
    }

    static class Refunded extends BaseEvent {
    }

    @Test
    void theNearestSupertypesHandlerWinsAndObjectsHandlerTakesWhatNoOtherDoes() {
        List<String> calls = new ArrayList<>();
        AggregateType<Account> type = AggregateType.builder("account", Account.class)
                .initialState(() -> Account.NONE)
                .on(Object.class, (account, event) -> record(calls, "object", account))
                .on(BaseEvent.class, (account, event) -> record(calls, "base", account))
                .on(Audited.class, (account, event) -> record(calls, "audited", account))
                .build();

        type.evolve(Account.NONE, new Refunded()); // BaseEvent is one step up, Audited two
        type.evolve(Account.NONE, new Charged(1)); // Audited is one step up, Object too but it comes last
        type.evolve(Account.NONE, new Noted("x"));

        assertThat(calls).containsExactly("base", "audited", "object");
    }

    private static Account record(List<String> calls, String call, Account account) {
        calls.add(call);
        return account;
    }

    @Test
    void twoHandlersEquallyNearAnEventWithoutOneOfItsOwnAreRefusedNamingBoth() {
        AggregateType<Account> type = AggregateType.builder("account", Account.class)
                .initialState(() -> Account.NONE)
                .on(Audited.class, (account, event) -> account)
                .on(Priced.class, (account, event) -> account)
                .build();

        assertThatThrownBy(() -> type.evolve(Account.NONE, new Charged(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Audited.class.getName()).hasMessageContaining(Priced.class.getName())
                .hasMessageContaining(Charged.class.getName());
    }

    @Test
    void oneEvolveFunctionFoldsEveryEvent() {
        AggregateType<Account> type = AggregateType.builder("account", Account.class)
                .initialState(() -> Account.NONE)
                .evolve((account, event) -> {
                    if (event instanceof Opened opened) {
                        return new Account(opened.owner(), 0, 0);
                    } else if (event instanceof Deposited deposited) {
                        return account.plus(deposited.amount());
                    } else if (event instanceof Withdrawn withdrawn) {
                        return account.plus(-withdrawn.amount());
                    }
                    return account;
                })
                .build();

        Account state = type.initialState();
        for (Object event : List.of(new Opened("ada"), new Deposited(100), new Noted("x"), new Withdrawn(1))) {
            state = type.evolve(state, event);
        }

        assertThat(state).isEqualTo(new Account("ada", 99, 2));
    }

    @Test
    void aHandlerReturningNullIsRefusedNamingTheTypeAndEvent() {
        AggregateType<Account> type = AggregateType.builder("account", Account.class)
                .initialState(() -> Account.NONE)
                .on(Deposited.class, (account, deposited) -> null)
                .build();

        assertThatThrownBy(() -> type.evolve(Account.NONE, new Deposited(1)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'account'").hasMessageContaining(Deposited.class.getName());
    }

    @Test
    void theInitialStateComesFromTheSupplierEachTime() {
        AtomicInteger made = new AtomicInteger();
        AggregateType<Account> type = AggregateType.builder("account", Account.class)
                .initialState(() -> new Account("", made.incrementAndGet(), 0))
                .on(Deposited.class, (account, deposited) -> account)
                .build();

        assertThat(type.initialState().balance()).isEqualTo(1);
        assertThat(type.initialState().balance()).isEqualTo(2);
    }

    @Test
    void streamsLiveInTheTypesCategory() {
        AggregateType<Account> type = accounts().build();
        UUID id = UUID.randomUUID();

        assertThat(type.streamId(id)).isEqualTo(StreamId.of(id).withCategory("account"));
        assertThat(type.category()).isEqualTo("account");
        assertThat(type.stateType()).isEqualTo(Account.class);
    }

    @Test
    void snapshotsAreNeverWrittenAndAreTheStateItselfByDefault() {
        AggregateType<Account> type = accounts().build();
        Account state = new Account("ada", 5, 1);

        assertThat(type.snapshotPolicy().shouldSnapshot(state, 1_000_000, 1_000_000)).isFalse();
        assertThat(type.snapshotType()).isEqualTo(Account.class);
        assertThat(type.toSnapshot(state)).isSameAs(state);
        assertThat(type.fromSnapshot(state)).isSameAs(state);
    }

    @Test
    void snapshotAsStoresAClassOfItsOwn() {
        AggregateType<Account> type = accounts()
                .snapshotAs(Accounts.AccountSnapshot.class,
                        account -> new Accounts.AccountSnapshot(account.owner(), account.balance(), account.movements()),
                        snapshot -> new Account(snapshot.holder(), snapshot.cents(), snapshot.count()))
                .build();
        Account state = new Account("ada", 5, 1);

        assertThat(type.toSnapshot(state)).isEqualTo(new Accounts.AccountSnapshot("ada", 5, 1));
        assertThat(type.isSnapshot(new Accounts.AccountSnapshot("ada", 5, 1))).isTrue();
        assertThat(type.isSnapshot(state)).isFalse();
        assertThat(type.fromSnapshot(new Accounts.AccountSnapshot("ada", 5, 1))).isEqualTo(state);
    }

    @Test
    void buildingWithoutAnInitialStateOrHandlersNamesWhatIsMissing() {
        assertThatThrownBy(() -> AggregateType.builder("account", Account.class).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'account'").hasMessageContaining("initialState(...)")
                .hasMessageContaining("on(...)").hasMessageContaining("evolve(...)");
        assertThatThrownBy(() -> AggregateType.builder("account", Account.class)
                .on(Deposited.class, (account, deposited) -> account).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("initialState(...)").hasMessageNotContaining("evolve(...)");
        assertThatThrownBy(() -> AggregateType.builder("account", Account.class).initialState(() -> Account.NONE)
                .build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no way to fold events");
    }

    @Test
    void handlersAndAnEvolveFunctionTogetherAreRefused() {
        assertThatThrownBy(() -> accounts().evolve((account, event) -> account).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("both on(...) handlers and an evolve");
    }

    @Test
    void aSecondHandlerForOneClassIsRefused() {
        assertThatThrownBy(() -> accounts().on(Deposited.class, (account, deposited) -> account))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Deposited.class.getName());
    }

    @Test
    void badCategoriesAndMissingArgumentsAreRefused() {
        assertThatThrownBy(() -> AggregateType.builder(" ", Account.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AggregateType.builder("x".repeat(256), Account.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AggregateType.builder(null, Account.class)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AggregateType.builder("account", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> accounts().initialState(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> accounts().snapshots(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> accounts().build().streamId(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> accounts().build().evolve(Account.NONE, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anInitialStateSupplierReturningNullIsRefused() {
        AggregateType<Account> type = AggregateType.builder("account", Account.class).initialState(() -> null)
                .on(Deposited.class, (account, deposited) -> account).build();

        assertThatThrownBy(type::initialState).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'account'");
    }
}

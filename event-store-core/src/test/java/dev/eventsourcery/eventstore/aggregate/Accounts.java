package dev.eventsourcery.eventstore.aggregate;

import java.util.List;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/** A bank account aggregate, the tests' example: its state, events, snapshot and commands. */
final class Accounts {

    private Accounts() {
    }

    /** The state of an account. */
    record Account(String owner, long balance, int movements) {

        static final Account NONE = new Account("", 0, 0);

        Account plus(long amount) {
            return new Account(owner, balance + amount, movements + 1);
        }
    }

    /** The events of an account. */
    sealed interface AccountEvent permits Opened, Deposited, Withdrawn {
    }

    record Opened(String owner) implements AccountEvent {
    }

    record Deposited(long amount) implements AccountEvent {
    }

    record Withdrawn(long amount) implements AccountEvent {
    }

    /** An event of the account's stream that the aggregate has no handler for. */
    record Noted(String text) {
    }

    /** A stored form of an account's state, for {@code snapshotAs}. */
    record AccountSnapshot(String holder, long cents, int count) {
    }

    /** A refusal of a command. */
    static final class InsufficientFunds extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InsufficientFunds(long balance, long amount) {
            super("balance " + balance + " is less than " + amount);
        }
    }

    /** The account type with per-class handlers, without snapshots. */
    static AggregateType.Builder<Account> accounts() {
        return AggregateType.builder("account", Account.class)
                .initialState(() -> Account.NONE)
                .on(Opened.class, (account, opened) -> new Account(opened.owner(), 0, 0))
                .on(Deposited.class, (account, deposited) -> account.plus(deposited.amount()))
                .on(Withdrawn.class, (account, withdrawn) -> account.plus(-withdrawn.amount()));
    }

    static Command<Account> open(String owner) {
        return account -> new Opened(owner);
    }

    static Command<Account> deposit(long amount) {
        return account -> new Deposited(amount);
    }

    static Command<Account> withdraw(long amount) {
        return account -> {
            if (account.balance() < amount) {
                throw new InsufficientFunds(account.balance(), amount);
            }
            return new Withdrawn(amount);
        };
    }

    /** The events of loaded stream entries, in order. */
    static List<Object> events(List<WrappedEvent<?>> loaded) {
        return loaded.stream().<Object>map(WrappedEvent::event).toList();
    }

    /** A store over a new in-memory backend, in the default tenant. */
    static EventStore inMemoryStore() {
        return StorageEventStore.builder(new InMemoryEventStorage()).build();
    }
}

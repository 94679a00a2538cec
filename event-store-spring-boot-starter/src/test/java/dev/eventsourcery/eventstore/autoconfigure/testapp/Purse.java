package dev.eventsourcery.eventstore.autoconfigure.testapp;

import dev.eventsourcery.eventstore.aggregate.AggregateType;
import dev.eventsourcery.eventstore.aggregate.Command;
import dev.eventsourcery.eventstore.aggregate.SnapshotPolicy;

/**
 * The state of a purse aggregate of the test application: deposits and withdrawals folded into a balance. The
 * state is its own snapshot.
 */
public record Purse(long balance, int movements) {

    /** The purse type, in category "purse", with snapshots by {@code policy}. */
    public static AggregateType<Purse> type(SnapshotPolicy<Purse> policy) {
        return types().snapshots(policy).build();
    }

    /** The purse type's description, without snapshots. */
    public static AggregateType.Builder<Purse> types() {
        return AggregateType.builder("purse", Purse.class)
                .initialState(() -> new Purse(0, 0))
                .on(MoneyDeposited.class, (purse, deposited) -> new Purse(purse.balance() + deposited.amount(),
                        purse.movements() + 1))
                .on(MoneyWithdrawn.class, (purse, withdrawn) -> new Purse(purse.balance() - withdrawn.amount(),
                        purse.movements() + 1));
    }

    /** Deposits {@code amount}. */
    public static Command<Purse> deposit(long amount) {
        return purse -> new MoneyDeposited("purse", amount);
    }
}

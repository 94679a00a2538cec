package dev.eventsourcery.sample.bank.account;

import java.math.BigDecimal;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.aggregate.AggregateType;
import dev.eventsourcery.eventstore.aggregate.SnapshotPolicy;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountOpened;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountSnapshot;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyDeposited;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyWithdrawn;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferReceived;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferSent;

/**
 * An account as its events left it: the aggregate. Its commands decide events from the current state and
 * change nothing themselves; {@link #type} says how each event changes the state. The repository loads it, runs a command, and
 * appends what the command decided with the version it loaded.
 *
 * @param owner who owns it; null before it is opened
 * @param balance its balance, never negative
 */
public record Account(@Nullable String owner, BigDecimal balance) {

    /** The currency the bank keeps its accounts in. */
    public static final String CURRENCY = "EUR";

    /** An account before its first event. */
    static final Account UNOPENED = new Account(null, BigDecimal.ZERO.setScale(2));

    /** Accounts as aggregates, in the stream category {@code account}, snapshot as {@link AccountSnapshot} when the policy says so. */
    public static AggregateType<Account> type(SnapshotPolicy<Account> snapshots) {
        return AggregateType.builder("account", Account.class)
                .initialState(() -> UNOPENED)
                .on(AccountOpened.class, (account, opened) -> new Account(opened.owner(), BigDecimal.ZERO.setScale(2)))
                .on(MoneyDeposited.class, (account, deposited) -> account.plus(deposited.amount()))
                .on(MoneyWithdrawn.class, (account, withdrawn) -> account.plus(withdrawn.amount().negate()))
                .on(TransferSent.class, (account, sent) -> account.plus(sent.amount().negate()))
                .on(TransferReceived.class, (account, received) -> account.plus(received.amount()))
                .snapshots(snapshots)
                .snapshotAs(AccountSnapshot.class, account -> new AccountSnapshot(account.owner(), account.balance()),
                        snapshot -> new Account(snapshot.owner(), snapshot.balance()))
                .build();
    }

    /** Opens the account for its owner. */
    public AccountOpened open(String owner) {
        if (this.owner != null) {
            throw new IllegalStateException("The account is already open");
        }
        return new AccountOpened(owner);
    }

    /** Pays money in, in the bank's currency. */
    public MoneyDeposited deposit(BigDecimal amount) {
        return new MoneyDeposited(amount, CURRENCY);
    }

    /** Pays money out; refuses to let the balance go below zero. */
    public MoneyWithdrawn withdraw(UUID id, BigDecimal amount) {
        requireFunds(id, amount);
        return new MoneyWithdrawn(amount);
    }

    /** Sends money to another account; refuses to let the balance go below zero. */
    public TransferSent send(UUID id, UUID transferId, UUID to, BigDecimal amount) {
        requireFunds(id, amount);
        return new TransferSent(transferId, to, amount);
    }

    /** Receives money sent by another account. */
    public TransferReceived receive(UUID transferId, UUID from, BigDecimal amount) {
        return new TransferReceived(transferId, from, amount);
    }

    /** Whether the account was opened. */
    public boolean isOpen() {
        return owner != null;
    }

    private Account plus(BigDecimal amount) {
        return new Account(owner, balance.add(amount));
    }

    private void requireFunds(UUID id, BigDecimal amount) {
        if (balance.compareTo(amount) < 0) {
            throw new InsufficientFundsException(id, balance, amount);
        }
    }
}

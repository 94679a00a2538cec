package dev.eventsourcery.sample.bank.account;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountOpened;
import dev.eventsourcery.sample.bank.account.AccountEvent.AccountSnapshot;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyDeposited;
import dev.eventsourcery.sample.bank.account.AccountEvent.MoneyWithdrawn;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferReceived;
import dev.eventsourcery.sample.bank.account.AccountEvent.TransferSent;

/**
 * An account as its events left it.
 *
 * @param id the account's id, also its stream's uuid
 * @param owner who owns it
 * @param balance its balance, never negative
 * @param version the version of its stream: the expected version of its next append
 */
public record Account(UUID id, String owner, BigDecimal balance, long version) {

    /** Rebuilds an account from its stream (a snapshot first, if any); empty when it was never opened. */
    static Optional<Account> replay(UUID id, List<WrappedEvent<?>> stream) {
        Account account = null;
        for (WrappedEvent<?> wrapped : stream) {
            long version = wrapped.version();
            Object event = wrapped.event();
            if (event instanceof AccountOpened opened) {
                account = new Account(id, opened.owner(), BigDecimal.ZERO.setScale(2), version);
            } else if (event instanceof AccountSnapshot snapshot) {
                account = new Account(id, snapshot.owner(), snapshot.balance(), version);
            } else if (account != null) {
                account = account.apply(event, version);
            } else {
                throw new IllegalStateException("Account " + id + " has " + event + " before it was opened");
            }
        }
        return Optional.ofNullable(account);
    }

    Account apply(Object event, long newVersion) {
        BigDecimal change;
        if (event instanceof MoneyDeposited deposited) {
            change = deposited.amount();
        } else if (event instanceof MoneyWithdrawn withdrawn) {
            change = withdrawn.amount().negate();
        } else if (event instanceof TransferSent sent) {
            change = sent.amount().negate();
        } else if (event instanceof TransferReceived received) {
            change = received.amount();
        } else {
            throw new IllegalStateException("Account " + id + " cannot apply " + event);
        }
        return new Account(id, owner, balance.add(change), newVersion);
    }

    /** Refuses to let the balance go below zero. */
    void requireFunds(BigDecimal amount) {
        if (balance.compareTo(amount) < 0) {
            throw new InsufficientFundsException(id, balance, amount);
        }
    }

    AccountSnapshot snapshot() {
        return new AccountSnapshot(owner, balance);
    }
}

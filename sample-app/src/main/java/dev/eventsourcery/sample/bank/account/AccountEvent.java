package dev.eventsourcery.sample.bank.account;

import java.math.BigDecimal;
import java.util.UUID;

import dev.eventsourcery.eventstore.EventType;

/** What can happen to an account. Stored under stable type names, so classes can move. */
public sealed interface AccountEvent {

    /** An account was opened for its owner, with a zero balance. */
    @EventType("bank.AccountOpened")
    record AccountOpened(String owner) implements AccountEvent {
    }

    /**
     * Money was paid in, in a currency. Version 2: deposits stored before the currency was recorded (version
     * 1, {@code {"amount": …}}) were all in euros, and {@link AccountUpcasters} says so when they are read.
     */
    @EventType(value = "bank.MoneyDeposited", version = 2)
    record MoneyDeposited(BigDecimal amount, String currency) implements AccountEvent {
    }

    /** Money was paid out. */
    @EventType("bank.MoneyWithdrawn")
    record MoneyWithdrawn(BigDecimal amount) implements AccountEvent {
    }

    /** Money left this account for another one of the same tenant. */
    @EventType("bank.TransferSent")
    record TransferSent(UUID transferId, UUID to, BigDecimal amount) implements AccountEvent {
    }

    /** Money arrived from another account of the same tenant. */
    @EventType("bank.TransferReceived")
    record TransferReceived(UUID transferId, UUID from, BigDecimal amount) implements AccountEvent {
    }

    /** A snapshot: the account as its events up to the snapshot's version left it. */
    @EventType("bank.AccountSnapshot")
    record AccountSnapshot(String owner, BigDecimal balance) implements AccountEvent {
    }
}

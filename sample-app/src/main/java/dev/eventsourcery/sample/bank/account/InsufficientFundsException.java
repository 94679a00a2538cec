package dev.eventsourcery.sample.bank.account;

import java.math.BigDecimal;
import java.util.UUID;

/** A withdrawal or transfer would take an account's balance below zero. */
public class InsufficientFundsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InsufficientFundsException(UUID id, BigDecimal balance, BigDecimal amount) {
        super("Account " + id + " has a balance of " + balance + ", which does not cover " + amount);
    }
}

package dev.eventsourcery.sample.bank.account;

import java.util.UUID;

/** A transfer names one account as both its source and its target. */
public class SameAccountTransferException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SameAccountTransferException(UUID id) {
        super("A transfer needs two different accounts, got " + id + " twice");
    }
}

package dev.eventsourcery.sample.bank.account;

import java.util.UUID;

/** No account with this id was opened in the current tenant. */
public class AccountNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AccountNotFoundException(UUID id) {
        super("Account " + id + " does not exist");
    }
}

package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

/** Money was paid into an account. */
public record MoneyDeposited(long amount) {
}

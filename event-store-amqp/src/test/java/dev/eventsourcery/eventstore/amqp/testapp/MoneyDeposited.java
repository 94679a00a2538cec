package dev.eventsourcery.eventstore.amqp.testapp;

import dev.eventsourcery.eventstore.EventType;

/** An event of the test application. */
@EventType("ledger.MoneyDeposited")
public record MoneyDeposited(String account, long amount) {
}

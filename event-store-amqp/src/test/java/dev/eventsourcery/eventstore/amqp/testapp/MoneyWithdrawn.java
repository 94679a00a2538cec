package dev.eventsourcery.eventstore.amqp.testapp;

import dev.eventsourcery.eventstore.EventType;

/** An event of the test application. */
@EventType("ledger.MoneyWithdrawn")
public record MoneyWithdrawn(String account, long amount) {
}

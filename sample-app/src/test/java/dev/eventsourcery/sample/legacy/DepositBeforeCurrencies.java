package dev.eventsourcery.sample.legacy;

import java.math.BigDecimal;

import dev.eventsourcery.eventstore.EventType;

/**
 * A deposit as the bank stored it before deposits recorded their currency: {@code bank.MoneyDeposited} at
 * schema version 1. Outside the bank's packages, so that the bank's type registry does not see it.
 */
@EventType("bank.MoneyDeposited")
public record DepositBeforeCurrencies(BigDecimal amount) {
}

package dev.eventsourcery.eventstore.benchmarks;

import dev.eventsourcery.eventstore.EventType;

/**
 * The event every contender stores: a deposit to an account, about 110 bytes of JSON, the size of a
 * typical domain event.
 *
 * @param accountId the account the money went to
 * @param amountInCents how much
 * @param currency ISO 4217 code
 * @param reference the payer's reference
 */
@EventType("MoneyDeposited")
public record MoneyDeposited(String accountId, long amountInCents, String currency, String reference) {

    /** The {@code n}-th deposit of a benchmark stream. */
    static MoneyDeposited number(long n) {
        return new MoneyDeposited("account-" + n, 100 + n, "EUR", "salary payment " + n + " from ACME Corporation");
    }

    /**
     * SQL for the JSON of {@link #number} for the integer expression {@code n}, exactly as Jackson writes
     * it, so that filled events are the size of appended ones.
     */
    static String jsonSql(String n) {
        String number = "cast(" + n + " as varchar)";
        return "'{\"accountId\":\"account-' || " + number + " || '\",\"amountInCents\":' || cast(100 + " + n
                + " as varchar) || ',\"currency\":\"EUR\",\"reference\":\"salary payment ' || " + number
                + " || ' from ACME Corporation\"}'";
    }
}

package dev.eventsourcery.eventstore.autoconfigure.storedjson;

import java.math.BigDecimal;

/** A value type of the application, written as text such as {@code "12.50 EUR"} by {@link MoneyModule}. */
public record Money(BigDecimal amount, String currency) {

    /** The money that {@link #toString()} wrote. */
    public static Money parse(String text) {
        String[] parts = text.split(" ");
        return new Money(new BigDecimal(parts[0]), parts[1]);
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}

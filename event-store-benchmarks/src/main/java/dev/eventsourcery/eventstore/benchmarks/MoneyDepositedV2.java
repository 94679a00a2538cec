package dev.eventsourcery.eventstore.benchmarks;

import dev.eventsourcery.eventstore.EventType;
import dev.eventsourcery.eventstore.serialization.Upcaster;

/**
 * The benchmark's deposit at schema version 2: {@link MoneyDeposited} with the channel the money came through.
 * Deposits stored at version 1 lack the field; {@link #UPCASTER} gives them {@link #DEFAULT_CHANNEL}.
 *
 * @param accountId the account the money went to
 * @param amountInCents how much
 * @param currency ISO 4217 code
 * @param reference the payer's reference
 * @param channel how the money came in
 */
@EventType(value = "MoneyDeposited", version = 2)
public record MoneyDepositedV2(String accountId, long amountInCents, String currency, String reference,
        String channel) {

    /** The channel of every deposit stored before version 2. */
    static final String DEFAULT_CHANNEL = "bank transfer";

    /** Version 1 of {@code MoneyDeposited} to version 2: the channel, {@link #DEFAULT_CHANNEL}. */
    static final Upcaster UPCASTER = Upcaster.of("MoneyDeposited", 1, json -> json.put("channel", DEFAULT_CHANNEL));

    /** The {@code n}-th deposit of a benchmark stream, as {@link MoneyDeposited#number} with the default channel. */
    static MoneyDepositedV2 number(long n) {
        MoneyDeposited deposit = MoneyDeposited.number(n);
        return new MoneyDepositedV2(deposit.accountId(), deposit.amountInCents(), deposit.currency(),
                deposit.reference(), DEFAULT_CHANNEL);
    }
}

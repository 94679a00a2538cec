package dev.eventsourcery.sample.bank;

import java.math.BigDecimal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the bank.
 *
 * @param snapshotEvery take a snapshot of an account every this many events, so loading it reads at
 *     most that many events after the snapshot
 * @param largeMovement the amount from which a deposit, withdrawal or transfer goes into the register of large
 *     movements, in the transaction that appends it
 */
@ConfigurationProperties("bank")
public record BankProperties(int snapshotEvery, BigDecimal largeMovement) {

    public BankProperties {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("bank.snapshot-every must be 1 or more, got " + snapshotEvery);
        }
        if (largeMovement == null || largeMovement.signum() <= 0) {
            throw new IllegalArgumentException("bank.large-movement must be a positive amount, got " + largeMovement);
        }
    }
}

package dev.eventsourcery.sample.bank;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the bank.
 *
 * @param snapshotEvery take a snapshot of an account every this many events, so loading it reads at
 *     most that many events after the snapshot
 */
@ConfigurationProperties("bank")
public record BankProperties(int snapshotEvery) {

    public BankProperties {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("bank.snapshot-every must be 1 or more, got " + snapshotEvery);
        }
    }
}

package dev.eventsourcery.sample.bank;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * An event-sourced bank: accounts are streams of events in the event store, balances are rebuilt from
 * them, and every tenant (the {@code X-Tenant-Id} header) has its own accounts.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BankApplication {

    public static void main(String[] args) {
        SpringApplication.run(BankApplication.class, args);
    }
}

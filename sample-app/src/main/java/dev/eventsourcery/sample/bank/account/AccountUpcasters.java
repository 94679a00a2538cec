package dev.eventsourcery.sample.bank.account;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.eventsourcery.eventstore.serialization.Upcaster;

/**
 * How stored account events of older versions are read today. Stored rows are never rewritten: the
 * upcasters run on their JSON each time they are read, by the repository, the projection and the outbox.
 */
@Configuration(proxyBeanMethods = false)
class AccountUpcasters {

    /** Deposits were in euros before {@code MoneyDeposited} recorded a currency (its version 2). */
    @Bean
    Upcaster depositsBeforeCurrencies() {
        return Upcaster.of("bank.MoneyDeposited", 1, json -> json.put("currency", "EUR"));
    }
}

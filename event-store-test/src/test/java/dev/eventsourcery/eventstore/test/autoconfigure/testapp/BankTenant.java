package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

import org.springframework.stereotype.Component;

import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.TenantResolver;

/** The bank keeps its streams in a tenant of its own. */
@Component
public class BankTenant implements TenantResolver {

    public static final TenantId BANK = TenantId.of("bank");

    @Override
    public TenantId currentTenant() {
        return BANK;
    }
}

package dev.eventsourcery.eventstore.model;

import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/** Tenant isolation of the in-memory backend. */
class InMemoryTenantIsolationTest extends TenantIsolationTest {

    @Override
    protected EventStorage emptyStorage() {
        return new InMemoryEventStorage();
    }
}

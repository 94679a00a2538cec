package dev.eventsourcery.eventstore.jpa;

import dev.eventsourcery.eventstore.model.TenantIsolationTest;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** Tenant isolation of the JPA backend over H2. */
class H2TenantIsolationTest extends TenantIsolationTest {

    @Override
    protected EventStorage emptyStorage() {
        TestDatabase.H2.assumeReachable();
        return JpaTestContext.of(TestDatabase.H2).emptyStorage();
    }
}

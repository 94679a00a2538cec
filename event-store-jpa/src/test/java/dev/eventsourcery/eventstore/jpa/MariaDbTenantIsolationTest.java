package dev.eventsourcery.eventstore.jpa;

import dev.eventsourcery.eventstore.model.TenantIsolationTest;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** Tenant isolation of the JPA backend over MariaDb. */
class MariaDbTenantIsolationTest extends TenantIsolationTest {

    @Override
    protected EventStorage emptyStorage() {
        TestDatabase.MARIADB.assumeReachable();
        JpaTestContext context = JpaTestContext.of(TestDatabase.MARIADB);
        context.clear();
        return context.storage();
    }
}

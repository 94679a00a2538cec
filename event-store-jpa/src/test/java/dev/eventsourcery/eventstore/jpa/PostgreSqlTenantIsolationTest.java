package dev.eventsourcery.eventstore.jpa;

import dev.eventsourcery.eventstore.model.TenantIsolationTest;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** Tenant isolation of the JPA backend over PostgreSql. */
class PostgreSqlTenantIsolationTest extends TenantIsolationTest {

    @Override
    protected EventStorage emptyStorage() {
        TestDatabase.POSTGRESQL.assumeReachable();
        JpaTestContext context = JpaTestContext.of(TestDatabase.POSTGRESQL);
        context.clear();
        return context.storage();
    }
}

package dev.eventsourcery.eventstore.jpa;

import org.junit.jupiter.api.BeforeEach;

import dev.eventsourcery.eventstore.model.TenantIsolationTest;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** Tenant isolation of the JPA backend over MariaDb. */
class MariaDbTenantIsolationTest extends TenantIsolationTest {

    /** Skips (or, under CI=true, fails) before the first program when the database is unreachable. */
    @BeforeEach
    void databaseIsReachable() {
        TestDatabase.MARIADB.assumeReachable();
    }

    @Override
    protected EventStorage emptyStorage() {
        TestDatabase.MARIADB.assumeReachable();
        return JpaTestContext.of(TestDatabase.MARIADB).emptyStorage();
    }
}

package dev.eventsourcery.eventstore.jpa;

import org.junit.jupiter.api.BeforeEach;

import dev.eventsourcery.eventstore.model.EventStoreModelTest;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** The model-based test on the JPA backend over MariaDb: every program gives the in-memory reference's outcomes. */
class MariaDbModelTest extends EventStoreModelTest {

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

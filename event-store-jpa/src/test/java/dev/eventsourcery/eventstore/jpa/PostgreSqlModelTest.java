package dev.eventsourcery.eventstore.jpa;

import org.junit.jupiter.api.BeforeEach;

import dev.eventsourcery.eventstore.model.EventStoreModelTest;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** The model-based test on the JPA backend over PostgreSql: every program gives the in-memory reference's outcomes. */
class PostgreSqlModelTest extends EventStoreModelTest {

    /** Skips (or, under CI=true, fails) before the first program when the database is unreachable. */
    @BeforeEach
    void databaseIsReachable() {
        TestDatabase.POSTGRESQL.assumeReachable();
    }

    @Override
    protected EventStorage emptyStorage() {
        TestDatabase.POSTGRESQL.assumeReachable();
        return JpaTestContext.of(TestDatabase.POSTGRESQL).emptyStorage();
    }
}

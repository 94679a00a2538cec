package dev.eventsourcery.eventstore.jpa;

import dev.eventsourcery.eventstore.model.EventStoreModelTest;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** The model-based test on the JPA backend over MariaDb: every program gives the in-memory reference's outcomes. */
class MariaDbModelTest extends EventStoreModelTest {

    @Override
    protected EventStorage emptyStorage() {
        TestDatabase.MARIADB.assumeReachable();
        JpaTestContext context = JpaTestContext.of(TestDatabase.MARIADB);
        context.clear();
        return context.storage();
    }
}

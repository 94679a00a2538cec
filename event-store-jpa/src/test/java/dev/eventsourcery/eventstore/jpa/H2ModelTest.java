package dev.eventsourcery.eventstore.jpa;

import dev.eventsourcery.eventstore.model.EventStoreModelTest;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** The model-based test on the JPA backend over H2: every program gives the in-memory reference's outcomes. */
class H2ModelTest extends EventStoreModelTest {

    @Override
    protected EventStorage emptyStorage() {
        TestDatabase.H2.assumeReachable();
        return JpaTestContext.of(TestDatabase.H2).emptyStorage();
    }
}

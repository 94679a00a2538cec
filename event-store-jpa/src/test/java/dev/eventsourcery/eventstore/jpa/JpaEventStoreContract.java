package dev.eventsourcery.eventstore.jpa;

import dev.eventsourcery.eventstore.contract.EventStoreContract;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** The whole contract suite, unchanged, against the JPA backend on one database. */
abstract class JpaEventStoreContract extends EventStoreContract {

    /** The database under test. */
    abstract TestDatabase database();

    /** The store's context on the database: its usual one unless a suite needs another. */
    JpaTestContext context() {
        return JpaTestContext.of(database());
    }

    @Override
    protected EventStorage createStorage() {
        database().assumeReachable();
        JpaTestContext context = context();
        context.clear();
        return context.storage();
    }

    /** Stops the storage's log threads. */
    @Override
    protected void releaseStorage(EventStorage storage) {
        ((JpaEventStorage) storage).close();
    }

    /** 8 threads × 200 appends with {@code ANY} to one stream on a real database. */
    @Override
    public int appendsPerThread() {
        return 200;
    }
}

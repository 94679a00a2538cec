package dev.eventsourcery.eventstore.jpa;

import dev.eventsourcery.eventstore.contract.EventStoreContract;
import dev.eventsourcery.eventstore.storage.EventStorage;

/**
 * The contract suite on MariaDB connections that accept one statement per round trip (no
 * {@code allowMultiQueries} in the URL), where an append sends its two statements one after the other.
 */
class MariaDbOneStatementPerRoundTripContractTest extends EventStoreContract {

    @Override
    protected EventStorage createStorage() {
        TestDatabase.MARIADB.assumeReachable();
        JpaTestContext context = JpaTestContext.plain(TestDatabase.MARIADB);
        context.clear();
        return context.storage();
    }

    @Override
    protected void releaseStorage(EventStorage storage) {
        ((JpaEventStorage) storage).close();
    }

    @Override
    public int appendsPerThread() {
        return 200;
    }
}

package dev.eventsourcery.eventstore.storage.memory;

import dev.eventsourcery.eventstore.contract.EventStoreContract;
import dev.eventsourcery.eventstore.storage.EventStorage;

/** The in-memory reference backend runs the whole contract suite. */
class InMemoryEventStoreContractTest extends EventStoreContract {

    @Override
    protected EventStorage createStorage() {
        return new InMemoryEventStorage();
    }
}

package dev.eventsourcery.eventstore.model;

import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/** The model-based test on the in-memory backend itself: checks the generators and that the reference is deterministic. */
class InMemoryModelTest extends EventStoreModelTest {

    @Override
    protected EventStorage emptyStorage() {
        return new InMemoryEventStorage();
    }
}

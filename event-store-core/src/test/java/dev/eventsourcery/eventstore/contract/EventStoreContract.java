package dev.eventsourcery.eventstore.contract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.TenantResolver;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.EventUpcasters;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * The backend contract suite: every behaviour of the event store API, run unchanged against every
 * backend. A backend's test class extends this and supplies an empty {@link EventStorage} per test;
 * the store under test is a {@link StorageEventStore} over it.
 *
 * <p>The behaviours are grouped by concern in the interfaces this class implements.
 */
public abstract class EventStoreContract implements
        AppendAndLoadContract,
        ConcurrencyControlContract,
        VersionlessStreamContract,
        StreamIdentityContract,
        DeletionContract,
        SnapshotContract,
        TenancyContract,
        PositionContract,
        LogContract,
        RefusalContract,
        IdempotentRetryContract,
        BadInputContract,
        HostileTextContract,
        UpcastingContract,
        AggregateRepositoryContract,
        LargeAppendContract {

    private EventStorage storage;
    private StorageEventStore store;

    /** A backend holding no events, streams or snapshots; called before each test. */
    protected abstract EventStorage createStorage();

    /** Releases what {@link #createStorage()} took; called after each test. */
    protected void releaseStorage(EventStorage storage) {
    }

    /** Builds the store under test; a backend may override to configure it. */
    protected StorageEventStore.Builder storeBuilder(EventStorage storage) {
        return StorageEventStore.builder(storage);
    }

    @BeforeEach
    final void createStore() {
        storage = createStorage();
        store = storeBuilder(storage).build();
    }

    @AfterEach
    final void releaseStore() {
        releaseStorage(storage);
    }

    @Override
    public final EventStore store() {
        return store;
    }

    @Override
    public final EventStore storeWith(EventTypeRegistry registry) {
        return storeBuilder(storage).registry(registry).build();
    }

    @Override
    public final EventStore storeWith(EventTypeRegistry registry, EventUpcasters upcasters) {
        return storeBuilder(storage).registry(registry).upcasters(upcasters).build();
    }

    @Override
    public final EventStore storeWith(TenantResolver resolver) {
        return storeBuilder(storage).registry(store.registry()).tenantResolver(resolver).build();
    }
}

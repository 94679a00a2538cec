package dev.eventsourcery.eventstore.model;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.TextNoted;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/**
 * Model-based test of a backend: random programs of appends (right, stale, random and overflowing
 * expected versions, {@code ANY}, {@code NO_VERSIONING}, bare and pre-versioned events, retries), loads of
 * random ranges, deletes, snapshots at valid and invalid versions and position reads, in three tenants,
 * over streams that share ids, names and categories, run step by step against the in-memory reference
 * and the backend under test. Every step must give the same value or an exception of the same type.
 *
 * <p>A backend's test class extends this and supplies empty storage; {@link Programs} says how to run
 * more programs or replay a failing one.
 */
public abstract class EventStoreModelTest {

    /** Longest program generated. */
    public static final int MAX_STEPS = 40;

    /** A backend holding nothing: called before every program. */
    protected abstract EventStorage emptyStorage();

    /** The backend's name in reports. */
    protected String backend() {
        return getClass().getSimpleName();
    }

    @Test
    public void everyProgramGivesTheSameOutcomesAsTheInMemoryReference() {
        Programs.check(backend() + " against the in-memory reference", Programs.tries(),
                random -> ProgramGenerator.program(random, MAX_STEPS),
                program -> ModelRun.run(program, store(new InMemoryEventStorage()), store(emptyStorage())));
    }

    /** A store over the storage, knowing the programs' event types from the start. */
    public static EventStore store(EventStorage storage) {
        return StorageEventStore.builder(storage)
                .registry(new EventTypeRegistry().register(NumberAdded.class, TextNoted.class, Total.class))
                .build();
    }
}

package dev.eventsourcery.eventstore.jpa;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.eventsourcery.eventstore.model.EventStoreModelTest;
import dev.eventsourcery.eventstore.model.ModelRun;
import dev.eventsourcery.eventstore.model.ProgramGenerator;
import dev.eventsourcery.eventstore.model.Programs;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/**
 * The model-based test on a database whose event ids run backwards (each append's events get lower ids than
 * every event before them): every program of versioned appends, loads, deletes and snapshots gives the
 * in-memory reference's outcomes, and the log holds the reference's events with each stream in the
 * reference's order, which is version order. Only the order among streams whose events one numbering pass
 * took may differ from the reference's, as the log allows. A quarter of the model test's programs per
 * database ({@code eventstore.model.tries}).
 */
class BackwardIdsModelTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyVersionedProgramGivesTheReferencesOutcomesAndStreamOrders(TestDatabase database) {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.onNewDatabase(database);
        try {
            LogOrderTest.runIdsBackwards(context);
            Programs.check(database + " with event ids running backwards, against the in-memory reference",
                    Math.max(1, Programs.tries() / 4),
                    random -> ProgramGenerator.versionedProgram(random, EventStoreModelTest.MAX_STEPS),
                    program -> {
                        context.clear();
                        JpaEventStorage storage = context.storage();
                        try {
                            ModelRun.run(program, EventStoreModelTest.store(new InMemoryEventStorage()),
                                    EventStoreModelTest.store(storage), ModelRun.LogOrder.WITHIN_STREAMS);
                        } finally {
                            storage.close();
                        }
                    });
        } finally {
            context.close();
        }
    }
}

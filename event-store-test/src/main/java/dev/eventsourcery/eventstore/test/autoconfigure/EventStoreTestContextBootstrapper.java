package dev.eventsourcery.eventstore.test.autoconfigure;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/** Finds the application's configuration for an {@link EventStoreTest}, and adds its {@code properties}. */
class EventStoreTestContextBootstrapper extends TestSliceTestContextBootstrapper<EventStoreTest> {
}

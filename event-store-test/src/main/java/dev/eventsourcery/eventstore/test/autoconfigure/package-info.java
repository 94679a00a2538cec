/**
 * The {@link dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest @EventStoreTest} test slice: a Spring
 * test context with the event store's auto-configuration only, on an in-memory store
 * ({@link dev.eventsourcery.eventstore.test.autoconfigure.InMemoryEventStoreAutoConfiguration}) or, for the same
 * tests on a database, on the starter's JPA store.
 */
@NullMarked
package dev.eventsourcery.eventstore.test.autoconfigure;

import org.jspecify.annotations.NullMarked;

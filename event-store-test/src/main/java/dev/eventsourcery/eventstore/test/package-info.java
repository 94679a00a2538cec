/**
 * Testing with the event store. {@link dev.eventsourcery.eventstore.test.EventStoreAssertions} gives AssertJ
 * assertions on what a store holds: a stream's events, versions and snapshot
 * ({@link dev.eventsourcery.eventstore.test.StreamAssert}) and the log as a subscription reads it
 * ({@link dev.eventsourcery.eventstore.test.LogAssert}), with failure messages that list the expected and the
 * stored events and name the first difference. They work on any {@link dev.eventsourcery.eventstore.EventStore},
 * the in-memory one of a plain unit test included.
 *
 * <p>For Spring Boot applications,
 * {@link dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest @EventStoreTest} runs an application's
 * services on an in-memory store, without a database, and the same test class on the application's database
 * when a subclass asks for the JPA backend.
 *
 * <p>Add the module with test scope.
 */
@NullMarked
package dev.eventsourcery.eventstore.test;

import org.jspecify.annotations.NullMarked;

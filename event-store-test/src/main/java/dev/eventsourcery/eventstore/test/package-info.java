/**
 * Testing with the event store. {@link dev.eventsourcery.eventstore.test.EventStoreAssertions} gives AssertJ
 * assertions on what a store holds: a stream's events, versions and snapshot
 * ({@link dev.eventsourcery.eventstore.test.StreamAssert}) and the log as a subscription reads it
 * ({@link dev.eventsourcery.eventstore.test.LogAssert}), with failure messages that list the expected and the
 * stored events and name the first difference. They work on any {@link dev.eventsourcery.eventstore.EventStore},
 * the in-memory one of a plain unit test included.
 *
 * <p>Add the module with test scope.
 */
@NullMarked
package dev.eventsourcery.eventstore.test;

import org.jspecify.annotations.NullMarked;

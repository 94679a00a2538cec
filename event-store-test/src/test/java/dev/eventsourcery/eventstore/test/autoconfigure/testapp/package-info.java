/** The application the {@code @EventStoreTest} slice's tests run. */
@NullMarked
package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

import org.jspecify.annotations.NullMarked;

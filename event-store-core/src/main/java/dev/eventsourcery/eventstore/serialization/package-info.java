/**
 * Event type names and JSON: the {@link dev.eventsourcery.eventstore.serialization.EventTypeRegistry}
 * that ties stored type names to classes, the {@link dev.eventsourcery.eventstore.serialization.EventClassLookup}
 * it asks for classes of names that none is registered for, and the
 * {@link dev.eventsourcery.eventstore.serialization.EventSerializer} with its Jackson implementation.
 */
@NullMarked
package dev.eventsourcery.eventstore.serialization;

import org.jspecify.annotations.NullMarked;

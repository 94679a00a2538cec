/**
 * Event type names and JSON: the {@link dev.eventsourcery.eventstore.serialization.EventTypeRegistry}
 * that ties stored type names to classes, and the {@link dev.eventsourcery.eventstore.serialization.EventSerializer}
 * with its Jackson implementation.
 */
@NullMarked
package dev.eventsourcery.eventstore.serialization;

import org.jspecify.annotations.NullMarked;

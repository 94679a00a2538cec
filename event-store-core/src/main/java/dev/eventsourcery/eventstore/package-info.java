/**
 * The public API of the event store: {@link dev.eventsourcery.eventstore.EventStore} and the values it
 * works with — streams, envelopes, versions, tenants, positions — and the exceptions it signals.
 */
@NullMarked
package dev.eventsourcery.eventstore;

import org.jspecify.annotations.NullMarked;

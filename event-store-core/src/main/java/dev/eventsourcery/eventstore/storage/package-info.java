/**
 * The storage SPI that every backend implements, and {@link dev.eventsourcery.eventstore.storage.StorageEventStore},
 * the one {@link dev.eventsourcery.eventstore.EventStore} over any backend. Validation, wrapping, serialization and
 * the versioning rules ({@link dev.eventsourcery.eventstore.storage.StreamState}) live here, so backends stay thin.
 */
@NullMarked
package dev.eventsourcery.eventstore.storage;

import org.jspecify.annotations.NullMarked;

/**
 * Spring Boot auto-configuration of the event store: a tenant-aware
 * {@link dev.eventsourcery.eventstore.EventStore} backed by JPA on the application's own data source,
 * persistence unit and transactions, configured under {@code event-store.*}.
 */
@NullMarked
package dev.eventsourcery.eventstore.autoconfigure;

import org.jspecify.annotations.NullMarked;

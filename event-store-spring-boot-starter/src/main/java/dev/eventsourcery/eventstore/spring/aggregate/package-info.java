/**
 * Aggregates in a Spring application: {@link dev.eventsourcery.eventstore.spring.aggregate.AggregateRepositories}
 * makes {@link dev.eventsourcery.eventstore.aggregate.AggregateRepository repositories} on the application's
 * tenant-aware event store whose commands run in the application's transactions
 * ({@link dev.eventsourcery.eventstore.spring.aggregate.TransactionalUnitOfWork}).
 */
@NullMarked
package dev.eventsourcery.eventstore.spring.aggregate;

import org.jspecify.annotations.NullMarked;

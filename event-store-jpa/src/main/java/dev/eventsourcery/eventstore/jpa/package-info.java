/**
 * The JPA backend: {@link dev.eventsourcery.eventstore.jpa.JpaEventStorage} keeps streams, events,
 * snapshots and the log in the application's own database, in the tables its persistence unit maps, and
 * joins its transactions. The entities of this package must be part of the application's persistence unit;
 * the store writes their tables with plain JDBC. How the log's positions follow commit order is described
 * on {@code JpaEventStorage}.
 */
@NullMarked
package dev.eventsourcery.eventstore.jpa;

import org.jspecify.annotations.NullMarked;

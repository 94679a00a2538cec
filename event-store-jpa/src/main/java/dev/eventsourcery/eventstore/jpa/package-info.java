/**
 * The JPA backend: {@link dev.eventsourcery.eventstore.jpa.JpaEventStorage} keeps streams, events and
 * snapshots in the application's own database, through its {@code EntityManagerFactory}, and joins its
 * transactions. The entities of this package must be part of the application's persistence unit.
 */
@NullMarked
package dev.eventsourcery.eventstore.jpa;

import org.jspecify.annotations.NullMarked;

/**
 * Aggregates in the decider style: an {@link dev.eventsourcery.eventstore.aggregate.AggregateType} says how a
 * plain state object is rebuilt from its stream's events, a {@link dev.eventsourcery.eventstore.aggregate.Command}
 * decides new events from the current state, and an
 * {@link dev.eventsourcery.eventstore.aggregate.AggregateRepository} loads the state, appends what was decided
 * at the version it was loaded at (deciding again after a concurrent change), and writes snapshots by a
 * {@link dev.eventsourcery.eventstore.aggregate.SnapshotPolicy}. No base class, annotations or reflection.
 */
@NullMarked
package dev.eventsourcery.eventstore.aggregate;

import org.jspecify.annotations.NullMarked;

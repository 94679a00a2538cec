/**
 * Projections: named consumers of the log that the starter runs in the background, one instance at a time
 * across the application's instances, each with a checkpoint moved in the transaction of its handlers'
 * writes. Declare one with {@link dev.eventsourcery.eventstore.spring.projection.Projection} on a bean whose
 * {@link dev.eventsourcery.eventstore.spring.projection.ProjectionHandler} methods take the events; operate
 * them through {@link dev.eventsourcery.eventstore.spring.projection.Projections}.
 */
@NullMarked
package dev.eventsourcery.eventstore.spring.projection;

import org.jspecify.annotations.NullMarked;

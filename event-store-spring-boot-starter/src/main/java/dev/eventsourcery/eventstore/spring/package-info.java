/**
 * The event store in a Spring application: the {@link dev.eventsourcery.eventstore.spring.EventAppended}
 * application events published inside every appending transaction.
 */
@NullMarked
package dev.eventsourcery.eventstore.spring;

import org.jspecify.annotations.NullMarked;

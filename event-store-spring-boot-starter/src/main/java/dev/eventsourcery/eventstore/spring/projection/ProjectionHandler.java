package dev.eventsourcery.eventstore.spring.projection;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Projection} bean that handles events: it takes one parameter, the event (its
 * class, or an interface or superclass of several) or a {@link dev.eventsourcery.eventstore.RecordedEvent}
 * of it. Each event goes to the handler of the most specific class it is an instance of; events no handler
 * takes only move the checkpoint. When every handler takes a concrete class, only events of those classes
 * are read from the log.
 *
 * <p>A handler may take a {@code List} of them instead ({@code List<MoneyDeposited>},
 * {@code List<RecordedEvent<MoneyDeposited>>}) to write a read model in batches: each run of consecutive
 * events of a batch that go to it arrives in one call, in log order, inside the batch's transaction. When a
 * batch fails and its events are tried one at a time, the lists hold one event.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProjectionHandler {
}

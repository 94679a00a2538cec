package dev.eventsourcery.eventstore.spring.projection;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Projection} bean, without parameters or with one {@code Position} parameter
 * (the position the projection is reset to), that runs when the projection is reset, in the transaction
 * that moves its checkpoint: the place to clear a read model before a rebuild.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProjectionReset {
}

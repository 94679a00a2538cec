package dev.eventsourcery.eventstore;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the type under which events of the annotated class are stored. Without it an event class is
 * stored under its simple name. The name is what ties stored events to classes, so keep it stable
 * when the class is renamed or moved.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /** The stored type name. */
    String value();
}

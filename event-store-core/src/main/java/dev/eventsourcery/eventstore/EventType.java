package dev.eventsourcery.eventstore;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the type under which events of the annotated class are stored, and the schema version of their
 * JSON. Without it an event class is stored under its simple name, at schema version 1. The name is what
 * ties stored events to classes, so keep it stable when the class is renamed or moved.
 *
 * <p>Every stored event keeps the type name and schema version it was written with; stored rows are never
 * rewritten. When a class changes so that its older JSON no longer reads as it, raise its {@link #version()}
 * and register an {@link dev.eventsourcery.eventstore.serialization.Upcaster} from each older version to the
 * next: events are upcast when they are read, by {@code loadStream}, subscriptions and projections alike.
 * A type renamed without any change to its JSON keeps its old name among its {@link #aliases()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /** The stored type name. */
    String value();

    /**
     * The schema version events of this class are written with: 1 for the first, raised by one with every
     * change that needs an upcaster from the previous version.
     */
    int version() default 1;

    /**
     * Earlier type names of this class, under which older events are stored: they load as this class, at
     * the schema version they were stored with.
     */
    String[] aliases() default {};
}

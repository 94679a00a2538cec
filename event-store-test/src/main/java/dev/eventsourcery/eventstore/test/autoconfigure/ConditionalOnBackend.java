package dev.eventsourcery.eventstore.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the {@link EventStoreTest}'s backend, {@code event-store.test.backend}, is this one
 * ({@link EventStoreTest.Backend#IN_MEMORY} when the property is not set).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnBackendCondition.class)
@interface ConditionalOnBackend {

    /** The backend. */
    EventStoreTest.Backend value();
}

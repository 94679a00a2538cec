package dev.eventsourcery.eventstore.spring.projection;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a Spring bean a projection: the starter feeds it the log's events in position order, in batches,
 * through its {@link ProjectionHandler} methods, each batch in a transaction of the application's
 * transaction manager that also moves the projection's checkpoint, so that a read model written by the
 * handlers in the application's database sees every event exactly once, across crashes and restarts.
 *
 * <p>One application instance at a time runs a projection (the one holding its lease); when it stops or
 * dies another takes over within {@code event-store.projections.lease-timeout}. A handler that fails rolls
 * its batch back; the events are then handled one at a time, the failing one retried with back-off, and after
 * the last attempt the projection stops ({@link FailurePolicy#STOP}) or records a dead letter and moves on
 * ({@link FailurePolicy#DEAD_LETTER}). An event the log cannot turn into an object (its stored type has no
 * class, its JSON no longer binds to its class) fails the same way, once the events before it were handled.
 *
 * <pre>{@code
 * @Component
 * @Projection(name = "balances", category = "account")
 * class Balances {
 *     @ProjectionHandler
 *     void on(MoneyDeposited deposited) { ... }
 *
 *     @ProjectionHandler
 *     void on(RecordedEvent<MoneyWithdrawn> withdrawn) { ... }   // with stream, tenant and position
 *
 *     @ProjectionReset
 *     void clear() { ... }   // runs when the projection is reset, in the same transaction
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Projection {

    /** The projection's name, unique in the database: its checkpoint is kept under it. */
    String name();

    /** Only events of streams in this category; every stream when empty. */
    String category() default "";

    /** Only events of these tenants; every tenant (the default one included) when empty. */
    String[] tenants() default {};

    /** Where a projection that has no checkpoint yet starts. */
    StartPosition startAt() default StartPosition.BEGINNING;

    /** The most events handled in one transaction; {@code event-store.projections.batch-size} when 0. */
    int batchSize() default 0;

    /**
     * How many times an event is handled before the projection gives up on it;
     * {@code event-store.projections.max-attempts} when 0.
     */
    int maxAttempts() default 0;

    /** What the projection does when it gives up on an event. */
    FailurePolicy onFailure() default FailurePolicy.STOP;
}

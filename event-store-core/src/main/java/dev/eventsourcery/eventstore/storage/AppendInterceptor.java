package dev.eventsourcery.eventstore.storage;

import java.util.List;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * Runs around every append of a {@link StorageEventStore} whose arguments were accepted: it may run the
 * append inside a transaction of its own and act on the appended events in that transaction, before the
 * commit. The Spring Boot starter publishes its {@code EventAppended} application events this way.
 */
@FunctionalInterface
public interface AppendInterceptor {

    /** Appends and does nothing else. */
    AppendInterceptor NONE = Append::proceed;

    /**
     * Runs the append: must call {@link Append#proceed()} exactly once. An exception thrown after it
     * reaches the caller of the append, and rolls the append back when the append runs in a transaction.
     */
    void intercept(Append append);

    /** One append on its way to the backend. */
    interface Append {

        /** The tenant appended in. */
        TenantId tenantId();

        /** The stream appended to. */
        StreamId streamId();

        /** The events as the caller gave them, before they are stored. */
        List<? extends WrappedEvent<?>> events();

        /** Stores the events; throws what the append throws. */
        void proceed();

        /**
         * The appended events, each with the version it got ({@code null} on a versionless stream), once
         * {@link #proceed()} has returned. An append with {@code Versioning.ANY} asks the backend for the
         * stream's version, which is the version this append left only inside the transaction it ran in.
         *
         * @throws IllegalStateException before {@link #proceed()} has returned
         */
        List<WrappedEvent<?>> appended();
    }
}

package dev.eventsourcery.eventstore.spring;

import java.util.Objects;

import org.springframework.core.ResolvableType;
import org.springframework.core.ResolvableTypeProvider;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * An application event the starter publishes for every appended event, inside the appending transaction and
 * in append order. Listeners select events by the generic type:
 * {@code @EventListener void on(EventAppended<MoneyDeposited> appended)} runs before the commit, so its
 * failure rolls the append (and the caller's other writes) back, and
 * {@code @TransactionalEventListener void on(EventAppended<MoneyDeposited> appended)} runs after the commit
 * (or, with {@code phase = AFTER_ROLLBACK}, after a rollback).
 *
 * <p>The envelope carries the version the event got. Its position in the log is not known until the
 * transaction commits; a projection or a {@link dev.eventsourcery.eventstore.Subscription} sees it.
 *
 * @param wrappedEvent the appended event, with the version it got ({@code null} on a versionless stream)
 * @param streamId the stream it was appended to
 * @param tenantId the tenant it was appended in
 * @param <E> the event's class
 */
public record EventAppended<E>(WrappedEvent<E> wrappedEvent, StreamId streamId, TenantId tenantId)
        implements ResolvableTypeProvider {

    /** Checks that no part is missing. */
    public EventAppended {
        Objects.requireNonNull(wrappedEvent, "wrappedEvent");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(tenantId, "tenantId");
    }

    /** The event itself. */
    public E event() {
        return wrappedEvent.event();
    }

    /** {@code EventAppended<the event's class>}, which listeners are matched against. */
    @Override
    public ResolvableType getResolvableType() {
        return ResolvableType.forClassWithGenerics(EventAppended.class, event().getClass());
    }
}

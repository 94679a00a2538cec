package dev.eventsourcery.eventstore;

/**
 * Tells a tenant-aware {@link EventStore} which tenant the current call works in, for example from the
 * current HTTP request or security context. It is asked on every call.
 */
@FunctionalInterface
public interface TenantResolver {

    /** The tenant of the current call; {@link TenantId#DEFAULT} for the tenant-less context. */
    TenantId currentTenant();
}

package dev.eventsourcery.eventstore.storage;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.TenantId;

/**
 * A read of the log: the events after a position that match the filters, in position order, at most
 * {@code limit} of them. A filter that is {@code null} lets every event through.
 *
 * @param after the position to read after ({@code 0} for the start of the log)
 * @param limit the most events to return, positive
 * @param tenant only events of this tenant; {@code null} for every tenant
 * @param category only events of streams in this category; {@code null} for every stream
 * @param types only events stored under these type names; {@code null} for every type
 */
public record LogQuery(long after, int limit, @Nullable TenantId tenant, @Nullable String category,
        @Nullable Set<String> types) {

    /** Checks the bounds and copies the type names. */
    public LogQuery {
        if (after < 0 || limit < 1) {
            throw new IllegalArgumentException("A log query needs a position of 0 or more and a positive limit, got "
                    + after + " and " + limit);
        }
        types = types == null ? null : Set.copyOf(types);
    }

    /** Whether an event of this tenant, category and type passes the filters. */
    public boolean matches(TenantId tenantId, @Nullable String streamCategory, String type) {
        return (tenant == null || tenant.equals(tenantId))
                && (category == null || category.equals(streamCategory))
                && (types == null || types.contains(type));
    }
}

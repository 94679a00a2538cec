package dev.eventsourcery.eventstore;

import org.jspecify.annotations.Nullable;

/** A tenant id is not 1–64 characters of {@code [A-Za-z0-9._-]}. */
public class IllegalTenantIdException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** The given value is not a valid tenant id. */
    public IllegalTenantIdException(@Nullable String value) {
        super("Illegal tenant id " + (value == null ? "null" : "'" + value + "'")
                + ": a tenant id is 1-" + TenantId.MAX_LENGTH + " characters of [A-Za-z0-9._-]");
    }
}

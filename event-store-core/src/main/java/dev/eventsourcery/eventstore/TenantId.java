package dev.eventsourcery.eventstore;

import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A tenant: the scope in which streams, events, versions and snapshots live.
 *
 * <p>{@link #DEFAULT} is the tenant-less context. Every other tenant is 1–64 characters of
 * {@code [A-Za-z0-9._-]}; the default tenant's {@link #value()} is the empty string, which no call to
 * {@link #of(String)} can produce, so no named tenant can reach the default tenant's data.
 */
public final class TenantId {

    /** The tenant-less context. */
    public static final TenantId DEFAULT = new TenantId("");

    /** Longest tenant id, in characters. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private final String value;

    private TenantId(String value) {
        this.value = value;
    }

    /**
     * The tenant with the given id.
     *
     * @throws IllegalTenantIdException when the id is not 1–64 characters of {@code [A-Za-z0-9._-]}
     */
    public static TenantId of(@Nullable String value) {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalTenantIdException(value);
        }
        return new TenantId(value);
    }

    /** The tenant id as stored; the empty string for {@link #DEFAULT}. */
    public String value() {
        return value;
    }

    /** Whether this is the tenant-less context. */
    public boolean isDefault() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof TenantId that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return isDefault() ? "TenantId.DEFAULT" : "TenantId[" + value + "]";
    }
}

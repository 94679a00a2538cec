package dev.eventsourcery.eventstore.storage;

import java.util.Objects;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;

/**
 * An event of the log as a backend stores it.
 *
 * @param position its position in the log
 * @param tenantId the tenant of its stream
 * @param streamId its stream, with the name the stream was created with, if any
 * @param event the stored event, with its version ({@code null} in a versionless stream)
 */
public record LogRecord(long position, TenantId tenantId, StreamId streamId, EventRecord event) {

    /** Requires every part. */
    public LogRecord {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(event, "event");
    }
}

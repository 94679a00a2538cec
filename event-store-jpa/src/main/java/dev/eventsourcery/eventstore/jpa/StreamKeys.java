package dev.eventsourcery.eventstore.jpa;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;

/**
 * Row ids of streams: a name-based UUID of (tenant, stream uuid, category). Deriving the key lets an
 * append address the stream row in its first statement (create-if-absent or compare-and-set) and a
 * load read the events without a lookup; the unique constraint on (tenant, uuid, category) still guards
 * the natural key.
 */
final class StreamKeys {

    private StreamKeys() {
    }

    /** The row id of a stream in a tenant. */
    static UUID rowId(TenantId tenantId, StreamId streamId) {
        String key = tenantId.value() + '\u0000' + streamId.uuid() + '\u0000' + category(streamId);
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The stored category: the empty string for none, since unique constraints treat NULLs as distinct. */
    static String category(StreamId streamId) {
        return streamId.category() == null ? "" : streamId.category();
    }
}

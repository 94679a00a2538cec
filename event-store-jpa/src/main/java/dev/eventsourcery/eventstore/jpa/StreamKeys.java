package dev.eventsourcery.eventstore.jpa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    /** Cloned for each key: cheaper than looking the algorithm up every time. */
    private static final MessageDigest MD5;

    static {
        try {
            MD5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides MD5", e);
        }
    }

    /** The row id of a stream in a tenant: the version 3 (name-based) UUID of its key, as {@link UUID#nameUUIDFromBytes} makes it. */
    static UUID rowId(TenantId tenantId, StreamId streamId) {
        String key = tenantId.value() + '\u0000' + streamId.uuid() + '\u0000' + category(streamId);
        byte[] hash;
        try {
            hash = ((MessageDigest) MD5.clone()).digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        }
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x30);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bits = ByteBuffer.wrap(hash);
        return new UUID(bits.getLong(), bits.getLong());
    }

    /** The stored category: the empty string for none, since unique constraints treat NULLs as distinct. */
    static String category(StreamId streamId) {
        return streamId.category() == null ? "" : streamId.category();
    }
}

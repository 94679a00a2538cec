package dev.eventsourcery.eventstore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Identifies a stream: a UUID, optionally the name it was derived from, and an optional category.
 *
 * <p>Two ids are equal when their {@code uuid} and {@code category} are equal; the name is implied by
 * the uuid, so a stream addressed once by uuid and once by its name (in the same category) is the same
 * stream, and the same uuid or name in two categories are two different streams.
 *
 * @param uuid the stream's identity
 * @param name the name the uuid was derived from, when the stream is named
 * @param category the category the stream belongs to, if any
 */
public record StreamId(UUID uuid, @Nullable String name, @Nullable String category) {

    /** Namespace of the name-based (version 5) UUIDs of named streams; shared with the Python library. */
    public static final UUID NAMESPACE = UUID.fromString("3a24a3ee-d33d-4266-93ab-7d8e256a6d44");

    /** Longest name or category a stream may have, in characters. */
    public static final int MAX_LENGTH = 255;

    /**
     * Validates the parts of a stream id.
     *
     * @throws IllegalArgumentException when the name or category is blank or longer than 255 characters,
     *     or when the name does not derive the uuid
     */
    public StreamId {
        Objects.requireNonNull(uuid, "uuid");
        if (name != null) {
            requireText("name", name);
            UUID derived = nameBasedUuid(name);
            if (!derived.equals(uuid)) {
                throw new IllegalArgumentException("Stream name '" + name + "' derives uuid " + derived + ", not " + uuid);
            }
        }
        if (category != null) {
            requireText("category", category);
        }
    }

    /** A stream with a fresh random UUID and no name. */
    public static StreamId random() {
        return new StreamId(UUID.randomUUID(), null, null);
    }

    /** The stream with the given UUID. */
    public static StreamId of(UUID uuid) {
        return new StreamId(uuid, null, null);
    }

    /** The stream whose UUID is {@code new UUID(0L, value)}, like Python's {@code UUID(int=value)} for small values. */
    public static StreamId of(long value) {
        return new StreamId(new UUID(0L, value), null, null);
    }

    /** The named stream; its uuid is the version 5 UUID of the UTF-8 name in {@link #NAMESPACE}. */
    public static StreamId named(String name) {
        requireText("name", name);
        return new StreamId(nameBasedUuid(name), name, null);
    }

    /** Same as {@link #named(String)}. */
    public static StreamId of(String name) {
        return named(name);
    }

    /** The same stream identity in the given category ({@code null} for none). */
    public StreamId withCategory(@Nullable String category) {
        return new StreamId(uuid, name, category);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof StreamId that && uuid.equals(that.uuid) && Objects.equals(category, that.category);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uuid, category);
    }

    @Override
    public String toString() {
        String id = name != null ? name + " (" + uuid + ")" : uuid.toString();
        return category != null ? category + "/" + id : id;
    }

    private static void requireText(String what, @Nullable String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("Stream " + what + " must not be blank: '" + value + "'");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Stream " + what + " is " + value.length()
                    + " characters long, the limit is " + MAX_LENGTH + ": '" + value.substring(0, 32) + "…'");
        }
    }

    private static UUID nameBasedUuid(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(NAMESPACE.getMostSignificantBits())
                .putLong(NAMESPACE.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong());
    }
}

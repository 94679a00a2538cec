package dev.eventsourcery.eventstore.storage;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The values every backend stores verbatim. Refusing the others up front, on every backend alike, keeps
 * "what is loaded equals what was appended" true everywhere, instead of an append that succeeds on one
 * database and fails on another (or, worse, silently changes the value):
 * <ul>
 *   <li>text: no NUL character (U+0000) and no unpaired surrogate, as raw characters or as JSON
 *       {@code \\u} escapes. PostgreSQL refuses NUL in {@code text} and {@code jsonb}, and no database
 *       can encode an unpaired surrogate in UTF-8 (the driver would replace it with {@code ?});</li>
 *   <li>UUIDs: not of version 8 to 15 with the first clock sequence byte between 0x01 and 0x80, which
 *       MariaDB's {@code uuid} type refuses. {@link UUID#randomUUID()}, name-based UUIDs and
 *       {@code StreamId.of(long)} never produce them.</li>
 * </ul>
 */
final class PortableValues {

    private PortableValues() {
    }

    /**
     * Why a UUID cannot be stored on every backend, or {@code null} when it can. MariaDB keeps RFC time-based
     * UUIDs with their segments swapped, and refuses a value that, stored unswapped, would read back as a
     * swapped one: byte 6 at 0x80 or more (version 8 to 15) with byte 8 between 0x01 and 0x80.
     */
    static @Nullable String problemInUuid(UUID uuid) {
        int byte6 = (int) (uuid.getMostSignificantBits() >>> 8) & 0xFF;
        int byte8 = (int) (uuid.getLeastSignificantBits() >>> 56) & 0xFF;
        if (byte6 >= 0x80 && byte8 >= 0x01 && byte8 <= 0x80) {
            return "version " + (byte6 >>> 4) + " with clock sequence byte 0x" + Integer.toHexString(byte8)
                    + ", which MariaDB's uuid type refuses";
        }
        return null;
    }

    /** Why plain text cannot be stored verbatim, or {@code null} when it can. */
    static @Nullable String problemInText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "a NUL character (U+0000) at index " + i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "an unpaired surrogate (U+" + hex(c) + ") at index " + i;
            }
        }
        return null;
    }

    /**
     * Why JSON text cannot be stored verbatim, or {@code null} when it can: its raw characters, and the
     * characters its {@code \\uXXXX} escapes stand for, follow {@link #problemInText}. In JSON text a
     * backslash only ever starts an escape, so reading escape by escape never mistakes an escaped
     * backslash followed by {@code u0000} for a NUL.
     */
    static @Nullable String problemInJson(String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\' && i + 1 < json.length()) {
                if (json.charAt(i + 1) != 'u' || i + 6 > json.length()) {
                    i++;
                    continue;
                }
                char escaped = unescape(json, i);
                if (escaped == '\u0000') {
                    return "a NUL character (\\u0000) at index " + i;
                }
                if (Character.isHighSurrogate(escaped) && i + 12 <= json.length() && json.startsWith("\\u", i + 6)
                        && Character.isLowSurrogate(unescape(json, i + 6))) {
                    i += 11;
                } else if (Character.isSurrogate(escaped)) {
                    return "an unpaired surrogate (\\u" + hex(escaped) + ") at index " + i;
                } else {
                    i += 5;
                }
            } else if (c == '\u0000') {
                return "a NUL character (U+0000) at index " + i;
            } else if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "an unpaired surrogate (U+" + hex(c) + ") at index " + i;
            }
        }
        return null;
    }

    /** The text with NUL and other control characters written as {@code \\uXXXX}, for error messages. */
    static String printable(String text) {
        StringBuilder printable = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))) {
                printable.append("\\u").append(hex(c));
            } else {
                printable.append(c);
            }
        }
        return printable.toString();
    }

    /** The length of the text encoded as UTF-8, in bytes, without encoding it. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static char unescape(String json, int backslash) {
        int value = 0;
        for (int i = backslash + 2; i < backslash + 6; i++) {
            int digit = Character.digit(json.charAt(i), 16);
            if (digit < 0) {
                return 'x'; // not a valid escape: the serializer's JSON is malformed, a parser will say so
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}

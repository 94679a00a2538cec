package dev.eventsourcery.eventstore;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An event with its envelope: the version it has in its stream, its own id, when it was created and
 * its {@link Context}. What {@link EventStore#loadStream} returns {@code equals()} what was appended.
 *
 * <p>{@code createdAt} is kept to the microsecond, the precision every supported database stores, so a
 * finer instant is truncated here rather than silently on a round trip.
 *
 * @param event the event itself, a plain object serialized as JSON
 * @param version the event's version in its stream: 1-based, {@code null} until stored and in
 *     versionless streams
 * @param uuid the event's id, unique in the whole store
 * @param createdAt when the event was created, to the microsecond
 * @param context the event's metadata
 * @param <E> the event's type
 */
public record WrappedEvent<E>(E event, @Nullable Long version, UUID uuid, Instant createdAt, Context context) {

    /**
     * Requires every part but the version and truncates {@code createdAt} to microseconds. The version is
     * checked where it matters: by {@link EventStore#append} against the version the event will get, and
     * by {@link EventStore#saveSnapshot} against the stream.
     */
    public WrappedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(context, "context");
        createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** Wraps an event with no version, a random id, the current time and an empty context. */
    public static <E> WrappedEvent<E> wrap(E event) {
        return wrap(event, null, Context.empty());
    }

    /** Wraps an event with the given version, a random id, the current time and an empty context. */
    public static <E> WrappedEvent<E> wrap(E event, @Nullable Long version) {
        return wrap(event, version, Context.empty());
    }

    /** Wraps an event with the given version and context, a random id and the current time. */
    public static <E> WrappedEvent<E> wrap(E event, @Nullable Long version, Context context) {
        return new WrappedEvent<>(event, version, UUID.randomUUID(), Instant.now(), context);
    }

    /** This envelope with another version. */
    public WrappedEvent<E> withVersion(@Nullable Long version) {
        return new WrappedEvent<>(event, version, uuid, createdAt, context);
    }

    /** This envelope with another context. */
    public WrappedEvent<E> withContext(Context context) {
        return new WrappedEvent<>(event, version, uuid, createdAt, context);
    }
}

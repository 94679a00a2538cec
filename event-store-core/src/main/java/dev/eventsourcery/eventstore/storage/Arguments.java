package dev.eventsourcery.eventstore.storage;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;

/** The checks of the API's arguments, made before anything reaches a backend. */
final class Arguments {

    private Arguments() {
    }

    /** Refuses stream ids whose uuid, name or category not every backend could store verbatim. */
    static void checkStreamId(StreamId streamId) {
        Objects.requireNonNull(streamId, "streamId");
        checkUuid("Stream " + streamId + " has uuid", streamId.uuid());
        checkText("name", streamId.name());
        checkText("category", streamId.category());
    }

    /** Refuses an empty append, an expected version that leaves no room for the events, and an id given twice. */
    static void checkAppend(StreamId streamId, Versioning versioning, List<? extends WrappedEvent<?>> events) {
        Objects.requireNonNull(versioning, "versioning");
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("Cannot append an empty list of events to stream " + streamId);
        }
        if (versioning instanceof Versioning.Expected expected && expected.version() > Long.MAX_VALUE - events.size()) {
            throw new IllegalArgumentException("Expected version " + expected.version() + " of stream " + streamId
                    + " leaves no room for " + events.size() + " more event(s): versions would overflow a long");
        }
        Set<UUID> uuids = new HashSet<>();
        for (WrappedEvent<?> event : events) {
            Objects.requireNonNull(event, "event");
            if (!uuids.add(event.uuid())) {
                throw new DuplicateEventException("Event " + event.uuid() + " appears twice in one append to stream "
                        + streamId);
            }
        }
    }

    /** Refuses negative bounds and a start after the stop. */
    static void checkBounds(@Nullable Long start, @Nullable Long stop) {
        if (start != null && start < 0) {
            throw new IllegalArgumentException("start must not be negative, got " + start);
        }
        if (stop != null && stop < 0) {
            throw new IllegalArgumentException("stop must not be negative, got " + stop);
        }
        if (start != null && stop != null && start > stop) {
            throw new IllegalArgumentException("start (" + start + ") must not be greater than stop (" + stop + ")");
        }
    }

    /**
     * Checks the versions that pre-versioned events carry against the ones they will get. With
     * {@link Versioning#ANY} those versions pin the stream's current version, so the append becomes one with
     * that expected version (a mismatch then is a wrong carried version, not a conflict).
     *
     * @return the versioning to append with: {@code versioning}, or the expected version the events pin
     */
    static Versioning checkCarriedVersions(StreamId streamId, Versioning versioning,
            List<? extends WrappedEvent<?>> events) {
        Long base = null;
        for (int i = 0; i < events.size(); i++) {
            Long carried = events.get(i).version();
            if (carried == null) {
                continue;
            }
            if (versioning instanceof Versioning.NoVersioning) {
                throw new IllegalArgumentException("Event " + i + " appended to versionless stream " + streamId
                        + " carries version " + carried + "; events of versionless streams have none");
            }
            if (versioning instanceof Versioning.Expected expected) {
                long expectedVersion = expected.version() + i + 1;
                if (carried != expectedVersion) {
                    throw new IllegalArgumentException("Event " + i + " appended to stream " + streamId
                            + " carries version " + carried + " but would get version " + expectedVersion);
                }
                continue;
            }
            long implied = carried - i - 1;
            if (implied < 0 || (base != null && implied != base)) {
                throw new IllegalArgumentException("Event " + i + " appended to stream " + streamId + " carries version "
                        + carried + ", which does not follow the versions of the events before it");
            }
            base = implied;
        }
        return base == null ? versioning : Versioning.expect(base);
    }

    static void checkUuid(String whose, UUID uuid) {
        String problem = PortableValues.problemInUuid(uuid);
        if (problem != null) {
            throw new IllegalArgumentException(whose + " " + uuid + " of " + problem + ": not every backend can store it");
        }
    }

    private static void checkText(String what, @Nullable String text) {
        String problem = text == null ? null : PortableValues.problemInText(text);
        if (problem != null) {
            throw new IllegalArgumentException("Stream " + what + " '" + PortableValues.printable(text) + "' contains "
                    + problem + ", which not every backend can store");
        }
    }
}

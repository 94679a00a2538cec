package dev.eventsourcery.eventstore;

/**
 * The concurrency rule of an append.
 *
 * <ul>
 *   <li>{@link #expect(long)}: the stream's current version must be exactly the given one ({@code 0}:
 *       the stream must not exist yet), otherwise {@link ConcurrentStreamWriteException} and nothing is
 *       written;</li>
 *   <li>{@link #ANY}: no check; the events take the next versions atomically;</li>
 *   <li>{@link #NO_VERSIONING}: a versionless stream, whose events are stored without version.</li>
 * </ul>
 *
 * A stream is versioned or versionless for life, see {@link VersioningMismatchException}.
 */
public sealed interface Versioning permits Versioning.Expected, Versioning.AnyVersion, Versioning.NoVersioning {

    /** Append after whatever the stream holds, without a concurrency check. */
    Versioning ANY = new AnyVersion();

    /** Append to a versionless stream. */
    Versioning NO_VERSIONING = new NoVersioning();

    /**
     * The stream's current version must be exactly {@code version}; {@code 0} means it must not exist yet.
     *
     * @throws IllegalArgumentException when the version is negative
     */
    static Versioning expect(long version) {
        return new Expected(version);
    }

    /**
     * Expects the stream to be at {@code version}.
     *
     * @param version the version the stream must have, {@code 0} for a new stream
     */
    record Expected(long version) implements Versioning {

        /** Refuses negative versions. */
        public Expected {
            if (version < 0) {
                throw new IllegalArgumentException("Expected version must be 0 (a new stream) or more, got " + version);
            }
        }
    }

    /** See {@link Versioning#ANY}. */
    record AnyVersion() implements Versioning {
        @Override
        public String toString() {
            return "Versioning.ANY";
        }
    }

    /** See {@link Versioning#NO_VERSIONING}. */
    record NoVersioning() implements Versioning {
        @Override
        public String toString() {
            return "Versioning.NO_VERSIONING";
        }
    }
}

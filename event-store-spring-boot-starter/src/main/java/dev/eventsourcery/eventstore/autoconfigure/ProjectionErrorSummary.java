package dev.eventsourcery.eventstore.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The line that says what went wrong in a projection's recorded error (a whole stack trace): the exception's
 * class and message, cut at 500 characters, for health details and endpoint listings.
 */
final class ProjectionErrorSummary {

    private static final int MAX_LENGTH = 500;

    private ProjectionErrorSummary() {
    }

    static @Nullable String of(@Nullable String error) {
        if (error == null) {
            return null;
        }
        String stripped = error.strip();
        int end = stripped.indexOf('\n');
        String line = (end < 0 ? stripped : stripped.substring(0, end)).strip();
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
    }
}

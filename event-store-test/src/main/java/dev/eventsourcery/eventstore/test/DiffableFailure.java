package dev.eventsourcery.eventstore.test;

import org.assertj.core.api.WritableAssertionInfo;
import org.assertj.core.error.AssertionErrorCreator;
import org.assertj.core.error.MessageFormatter;

/**
 * The assertion error of two lists of events that differ: the message as written, after the assertion's
 * description, carrying both lists, one event a line, for an IDE to compare (an opentest4j
 * {@code AssertionFailedError} when opentest4j is there). AssertJ's own way of carrying them reads the message as a
 * format and would turn a {@code %n} in an event's string form into a line break.
 */
final class DiffableFailure {

    private static final AssertionErrorCreator CREATOR = new AssertionErrorCreator();

    private DiffableFailure() {
    }

    static AssertionError of(WritableAssertionInfo info, String message, String actual, String expected) {
        String overriding = info.overridingErrorMessage();
        String description = MessageFormatter.instance().format(info.description(), info.representation(), "");
        return CREATOR.assertionError(description + (overriding != null ? overriding : message), actual, expected,
                info.representation());
    }
}

package dev.eventsourcery.eventstore.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * How failure messages show events: one per line with its index, and the first index at which the expected
 * and the stored events differ. An event is shown by its string form, after its class's simple name unless the
 * string form begins with it (a record's does); two classes of one simple name are told apart by their full
 * names.
 */
final class EventListing {

    private EventListing() {
    }

    /** The event's class's simple name and string form, the name once when the string form begins with it. */
    static String describe(@Nullable Object event) {
        if (event == null) {
            return "null";
        }
        String text = String.valueOf(event);
        String name = event.getClass().getSimpleName();
        return text.startsWith(name) ? text : name + ": " + text;
    }

    /** One line per item, {@code "  [index] "} and the item's description; {@code "  (none)"} for no items. */
    static String lines(int count, IntFunction<String> describe) {
        if (count == 0) {
            return "  (none)";
        }
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add("  [" + i + "] " + describe.apply(i));
        }
        return String.join("\n", lines);
    }

    /** The events described one per line, each with its index; {@code "  (none)"} for no events. */
    static String lines(List<?> events) {
        return lines(events.size(), i -> describe(events.get(i)));
    }

    /** The events described one per line, for the expected and actual values of an IDE's comparison. */
    static String plain(List<?> events) {
        return String.join("\n", events.stream().map(EventListing::describe).toList());
    }

    /** {@code "no events"}, {@code "1 event"}, {@code "2 events"}. */
    static String count(int events) {
        return events == 0 ? "no events" : events == 1 ? "1 event" : events + " events";
    }

    /**
     * Where two lists of events first differ, as a sentence; {@code null} when they are equal.
     *
     * @param actual the stored events, bare
     * @param prefix what to show before the stored event at an index: its version, its position
     * @param holder what holds the stored events, for "but the stream has only 2 events"
     */
    static @Nullable String firstDifference(List<?> expected, List<?> actual, IntFunction<String> prefix,
            String holder) {
        int size = Math.min(expected.size(), actual.size());
        for (int i = 0; i < size; i++) {
            Object wanted = expected.get(i);
            Object found = actual.get(i);
            if (!Objects.equals(wanted, found)) {
                return "The first difference is at index " + i + ": expected " + pair(wanted, found, prefix.apply(i))
                        + ".";
            }
        }
        if (expected.size() > actual.size()) {
            return "The first difference is at index " + size + ": expected " + describe(expected.get(size)) + " but "
                    + holder + (actual.isEmpty() ? " has no events." : " has only " + count(actual.size()) + ".");
        }
        if (actual.size() > expected.size()) {
            return "The first difference is at index " + size + ": expected no more events but was "
                    + prefix.apply(size) + describe(actual.get(size)) + ".";
        }
        return null;
    }

    private static String pair(@Nullable Object wanted, @Nullable Object found, String prefix) {
        if (wanted != null && found != null && wanted.getClass() != found.getClass()
                && wanted.getClass().getSimpleName().equals(found.getClass().getSimpleName())) {
            return wanted.getClass().getName() + ": " + wanted + " but was " + prefix + found.getClass().getName()
                    + ": " + found;
        }
        String wantedText = describe(wanted);
        String foundText = describe(found);
        String sentence = wantedText + " but was " + prefix + foundText;
        if (wantedText.equals(foundText) && found != null) {
            sentence += " (equal string forms, yet not equal: does " + found.getClass().getSimpleName()
                    + " implement equals?)";
        }
        return sentence;
    }

    /**
     * Where two lists of envelopes first differ, naming the parts that differ; {@code null} when they are equal.
     */
    static @Nullable String firstDifferenceOfEnvelopes(List<? extends WrappedEvent<?>> expected,
            List<? extends WrappedEvent<?>> actual, String holder) {
        int size = Math.min(expected.size(), actual.size());
        for (int i = 0; i < size; i++) {
            WrappedEvent<?> wanted = expected.get(i);
            WrappedEvent<?> found = actual.get(i);
            if (!wanted.equals(found)) {
                List<String> parts = new ArrayList<>();
                part(parts, "event", describe(wanted.event()), describe(found.event()),
                        Objects.equals(wanted.event(), found.event()));
                part(parts, "version", wanted.version(), found.version(),
                        Objects.equals(wanted.version(), found.version()));
                part(parts, "uuid", wanted.uuid(), found.uuid(), wanted.uuid().equals(found.uuid()));
                part(parts, "createdAt", wanted.createdAt(), found.createdAt(),
                        wanted.createdAt().equals(found.createdAt()));
                part(parts, "context", wanted.context(), found.context(), wanted.context().equals(found.context()));
                return "The first difference is at index " + i + ": " + String.join("; ", parts) + ".";
            }
        }
        if (expected.size() > actual.size()) {
            return "The first difference is at index " + size + ": expected " + expected.get(size) + " but " + holder
                    + (actual.isEmpty() ? " has no events." : " has only " + count(actual.size()) + ".");
        }
        if (actual.size() > expected.size()) {
            return "The first difference is at index " + size + ": expected no more events but was "
                    + actual.get(size) + ".";
        }
        return null;
    }

    private static void part(List<String> parts, String name, @Nullable Object wanted, @Nullable Object found,
            boolean equal) {
        if (!equal) {
            parts.add(name + " expected " + wanted + " but was " + found);
        }
    }
}

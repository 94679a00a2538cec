package dev.eventsourcery.eventstore.test;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import org.assertj.core.api.AbstractAssert;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;

/**
 * Assertions on the log: the events a subscription reads, in position order. {@link #after(Position)},
 * {@link #inStream(StreamId)} and {@link #inCategory(String)} narrow it the way a subscription's checkpoint and
 * filters do, and combine.
 *
 * <p>A test on a database that earlier tests have written to takes the store's position first and looks at the
 * log after it: {@code Optional<Position> start = store.position(); ...; assertThat(store).log().after(start)}.
 */
public final class LogAssert extends AbstractAssert<LogAssert, List<RecordedEvent<?>>> {

    private final boolean allTenants;
    private final String scope;

    private LogAssert(List<RecordedEvent<?>> events, boolean allTenants, String scope) {
        super(events, LogAssert.class);
        this.allTenants = allTenants;
        this.scope = scope;
    }

    static LogAssert read(EventStore store, boolean allTenants) {
        return new LogAssert(LogReading.read(store, allTenants, null), allTenants,
                allTenants ? "the log of every tenant" : "the log");
    }

    /** The log after this position: only the events with higher positions. */
    public LogAssert after(Position checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        return narrowed(event -> event.position().compareTo(checkpoint) > 0, "after position " + checkpoint.value());
    }

    /**
     * The log after this position, as {@code EventStore.position()} returns it: the whole log when it is empty
     * (the store had no events then).
     */
    public LogAssert after(Optional<Position> checkpoint) {
        return checkpoint.map(this::after).orElse(myself);
    }

    /** Only the events of this stream. */
    public LogAssert inStream(StreamId streamId) {
        Objects.requireNonNull(streamId, "streamId");
        return narrowed(event -> event.streamId().equals(streamId), "in stream " + streamId);
    }

    /** Only the events of streams in this category. */
    public LogAssert inCategory(String category) {
        Objects.requireNonNull(category, "category");
        return narrowed(event -> category.equals(event.streamId().category()), "in category " + category);
    }

    /** Checks the events, bare, against these, in this order, with {@code equals}. */
    public LogAssert containsExactly(Object... events) {
        List<Object> expected = Arrays.asList(events);
        List<Object> found = bareEvents();
        String difference = EventListing.firstDifference(expected, found, i -> origin(actual.get(i)) + ": ", "the log");
        if (difference != null) {
            throw DiffableFailure.of(info,
                    "Expecting " + scope + " to contain exactly these events, in position order:\n"
                            + EventListing.lines(expected)
                            + "\n" + contents() + "\n" + difference,
                    EventListing.plain(found), EventListing.plain(expected));
        }
        return myself;
    }

    /**
     * Checks that these events are in the log in this order, with {@code equals}, other events allowed before,
     * between and after them.
     */
    public LogAssert containsSubsequence(Object... events) {
        List<Object> expected = Arrays.asList(events);
        List<Object> found = bareEvents();
        int from = 0;
        for (int i = 0; i < expected.size(); i++) {
            int at = indexOf(found, expected.get(i), from);
            if (at < 0) {
                String missing = "[" + i + "] " + EventListing.describe(expected.get(i));
                String where = i == 0 ? "" : " after position " + actual.get(from - 1).position().value()
                        + ", where [" + (i - 1) + "] is";
                throw DiffableFailure.of(info,
                        "Expecting " + scope + " to contain these events in this order, others allowed between them:\n"
                                + EventListing.lines(expected)
                                + "\n" + contents() + "\n" + "It has no " + missing + where + ".",
                        EventListing.plain(found), EventListing.plain(expected));
            }
            from = at + 1;
        }
        return myself;
    }

    /** Checks that there are no events. */
    public LogAssert isEmpty() {
        if (!actual.isEmpty()) {
            throw failure("%s", "Expecting " + scope + " to be empty, but it has " + EventListing.count(actual.size())
                    + ":\n" + eventLines());
        }
        return myself;
    }

    /** Checks the number of events. */
    public LogAssert hasSize(int events) {
        if (actual.size() != events) {
            throw failure("%s", "Expecting " + scope + " to have " + EventListing.count(events) + ", but "
                    + (actual.isEmpty() ? "it has no events." : "it has " + EventListing.count(actual.size())
                            + ":\n" + eventLines()));
        }
        return myself;
    }

    private LogAssert narrowed(Predicate<RecordedEvent<?>> filter, String condition) {
        LogAssert narrowed = new LogAssert(actual.stream().filter(filter).toList(), allTenants,
                scope + " " + condition);
        return info.hasDescription() ? narrowed.describedAs(info.description()) : narrowed;
    }

    private static int indexOf(List<Object> events, Object event, int from) {
        for (int i = from; i < events.size(); i++) {
            if (Objects.equals(events.get(i), event)) {
                return i;
            }
        }
        return -1;
    }

    private List<Object> bareEvents() {
        return actual.stream().<Object>map(RecordedEvent::event).toList();
    }

    /** Where an event is: its position, its tenant when the log is every tenant's, its stream and version. */
    private String origin(RecordedEvent<?> event) {
        StringBuilder origin = new StringBuilder("position ").append(event.position().value());
        if (allTenants) {
            origin.append(", ").append(tenant(event.tenantId()));
        }
        origin.append(", stream ").append(event.streamId());
        Long version = event.wrappedEvent().version();
        if (version != null) {
            origin.append(", v").append(version);
        }
        return origin.toString();
    }

    private static String tenant(TenantId tenantId) {
        return tenantId.isDefault() ? "default tenant" : "tenant " + tenantId.value();
    }

    private String eventLines() {
        return EventListing.lines(actual.size(), i -> origin(actual.get(i)) + ": "
                + EventListing.describe(actual.get(i).event()));
    }

    private String contents() {
        return actual.isEmpty() ? "but it has no events." : "but it contains:\n" + eventLines();
    }
}

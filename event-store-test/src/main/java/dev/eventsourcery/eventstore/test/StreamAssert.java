package dev.eventsourcery.eventstore.test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.ObjectAssert;
import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * Assertions on one stream of a store: its events, in version order, as they were appended (the log's, so a
 * snapshot hides none of them), its version and its latest snapshot. A stream exists while it has events.
 */
public final class StreamAssert extends AbstractAssert<StreamAssert, List<WrappedEvent<?>>> {

    private final EventStore store;
    private final StreamId streamId;

    private StreamAssert(EventStore store, StreamId streamId, List<WrappedEvent<?>> events) {
        super(events, StreamAssert.class);
        this.store = store;
        this.streamId = streamId;
    }

    static StreamAssert read(EventStore store, StreamId streamId) {
        List<WrappedEvent<?>> events = LogReading.read(store, false, streamId.category()).stream()
                .filter(recorded -> recorded.streamId().equals(streamId))
                .<WrappedEvent<?>>map(RecordedEvent::wrappedEvent)
                .toList();
        return new StreamAssert(store, streamId, events);
    }

    /** Checks the stream's events, bare, against these, in this order, with {@code equals}. */
    public StreamAssert containsExactly(Object... events) {
        List<Object> expected = Arrays.asList(events);
        List<Object> found = bareEvents();
        String difference = EventListing.firstDifference(expected, found, this::versionPrefix, "the stream");
        if (difference != null) {
            throw DiffableFailure.of(info,
                    "Expecting stream " + streamId + " to contain exactly these events, in version order:\n"
                            + EventListing.lines(expected)
                            + "\n" + contents() + "\n" + difference,
                    EventListing.plain(found), EventListing.plain(expected));
        }
        return myself;
    }

    /**
     * Checks the stream's envelopes against these, in this order, with {@code equals}: the event, the version,
     * the uuid, the creation time and the context.
     */
    public StreamAssert containsExactlyWrapped(WrappedEvent<?>... envelopes) {
        List<WrappedEvent<?>> expected = Arrays.asList(envelopes);
        String difference = EventListing.firstDifferenceOfEnvelopes(expected, actual, "the stream");
        if (difference != null) {
            throw DiffableFailure.of(info,
                    "Expecting stream " + streamId + " to contain exactly these envelopes, in version order:\n"
                            + EventListing.lines(expected.size(), i -> String.valueOf(expected.get(i)))
                            + "\nbut it contains:\n"
                            + EventListing.lines(actual.size(), i -> String.valueOf(actual.get(i)))
                            + "\n" + difference,
                    envelopeLines(actual), envelopeLines(expected));
        }
        return myself;
    }

    /** Checks that the stream has no events: it was never appended to, or it was deleted. */
    public StreamAssert doesNotExist() {
        if (!actual.isEmpty()) {
            throw mismatch("Expecting stream " + streamId + " not to exist, but it has "
                    + EventListing.count(actual.size()) + ":\n" + eventLines());
        }
        return myself;
    }

    /** Same as {@link #doesNotExist()}: a stream without events does not exist. */
    public StreamAssert isEmpty() {
        return doesNotExist();
    }

    /** Checks that the stream has at least one event. */
    public StreamAssert exists() {
        if (actual.isEmpty()) {
            throw mismatch("Expecting stream " + streamId + " to exist, but it has no events.");
        }
        return myself;
    }

    /** Checks the stream's version: the version of its last event. */
    public StreamAssert hasVersion(long version) {
        if (actual.isEmpty()) {
            throw mismatch("Expecting stream " + streamId + " to be at version " + version
                    + ", but it does not exist.");
        }
        Long found = actual.get(actual.size() - 1).version();
        if (found == null) {
            throw mismatch("Expecting stream " + streamId + " to be at version " + version
                    + ", but it is versionless: " + (actual.size() == 1 ? "its event has no version."
                            : "its " + EventListing.count(actual.size()) + " have no versions."));
        }
        if (found != version) {
            throw mismatch("Expecting stream " + streamId + " to be at version " + version
                    + ", but it is at version " + found + ".");
        }
        return myself;
    }

    /** Assertions on the stream's last event, bare; fails when the stream has none. */
    public ObjectAssert<Object> last() {
        if (actual.isEmpty()) {
            throw mismatch("Expecting stream " + streamId + " to have a last event, but it has no events.");
        }
        WrappedEvent<?> last = actual.get(actual.size() - 1);
        return new ObjectAssert<Object>(last.event()).as("%s", "the last event of stream " + streamId
                + (last.version() == null ? "" : " (v" + last.version() + ")"));
    }

    /** Assertions on the state the stream's latest snapshot holds, bare; fails when it has no snapshot. */
    public ObjectAssert<Object> snapshot() {
        WrappedEvent<?> snapshot = latestSnapshot();
        if (snapshot == null) {
            throw mismatch("Expecting stream " + streamId + " to have a snapshot, but it has none.");
        }
        return new ObjectAssert<Object>(snapshot.event())
                .as("%s", "the snapshot of stream " + streamId + " at version " + snapshot.version());
    }

    /** Checks that the stream's latest snapshot summarises this version. */
    public StreamAssert hasSnapshotAtVersion(long version) {
        WrappedEvent<?> snapshot = latestSnapshot();
        if (snapshot == null) {
            throw mismatch("Expecting stream " + streamId + " to have a snapshot at version " + version
                    + ", but it has none.");
        }
        if (snapshot.version() == null || snapshot.version() != version) {
            throw mismatch("Expecting stream " + streamId + " to have a snapshot at version " + version
                    + ", but its snapshot is at version " + snapshot.version() + ".");
        }
        return myself;
    }

    /**
     * The latest snapshot: loading the stream gives it first, and it is none of the stream's events (an event
     * id is unique in the whole store).
     */
    private @Nullable WrappedEvent<?> latestSnapshot() {
        List<WrappedEvent<?>> loaded = store.loadStream(streamId);
        if (loaded.isEmpty()) {
            return null;
        }
        Set<UUID> eventIds = actual.stream().map(WrappedEvent::uuid).collect(Collectors.toSet());
        WrappedEvent<?> first = loaded.get(0);
        return eventIds.contains(first.uuid()) ? null : first;
    }

    private AssertionError mismatch(String message) {
        return failure("%s", message);
    }

    private List<Object> bareEvents() {
        return actual.stream().<Object>map(WrappedEvent::event).toList();
    }

    private String versionPrefix(int index) {
        Long version = actual.get(index).version();
        return version == null ? "" : "v" + version + " ";
    }

    private String eventLines() {
        return EventListing.lines(actual.size(), i -> versionPrefix(i) + EventListing.describe(actual.get(i).event()));
    }

    private String contents() {
        return actual.isEmpty() ? "but it has no events." : "but it contains:\n" + eventLines();
    }

    private static String envelopeLines(List<? extends WrappedEvent<?>> envelopes) {
        return String.join("\n", envelopes.stream().map(String::valueOf).toList());
    }
}

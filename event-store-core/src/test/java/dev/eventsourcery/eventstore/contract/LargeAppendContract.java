package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * Appends of one event to ten thousand at once: every event is stored, loads in the order it was appended and
 * is delivered by the log in that order too, whatever way the backend sends a large append to its database.
 * The sizes straddle the points where a backend may change its way (two-digit ordinals, one statement's
 * worth, a batch).
 */
public interface LargeAppendContract extends ContractFixture {

    @ParameterizedTest(name = "{0} events")
    @ValueSource(ints = {1, 9, 10, 11, 100, 1000, 1001, 5000, 10_000})
    default void anAppendOfManyEventsLoadsAndIsLoggedInTheOrderItWasAppended(int size) {
        Position before = store().position().orElse(new Position(0));
        StreamId expected = StreamId.random();
        StreamId any = StreamId.random();
        StreamId versionless = StreamId.random();
        List<WrappedEvent<?>> first = numbers(1, size);
        List<WrappedEvent<?>> second = numbers(1, size);
        List<WrappedEvent<?>> third = numbers(1, size);

        store().append(expected, 0, first);
        store().append(any, Versioning.ANY, second);
        store().append(versionless, Versioning.NO_VERSIONING, third);

        assertThat(store().loadStream(expected)).containsExactlyElementsOf(versioned(first, 1));
        assertThat(store().loadStream(any)).containsExactlyElementsOf(versioned(second, 1));
        assertThat(store().loadStream(versionless)).containsExactlyElementsOf(third);
        // every committed event numbered, so that the drain's short waits find the whole append there
        store().position();
        List<RecordedEvent<?>> logged;
        try (Subscription subscription = store().subscribe().after(before).build()) {
            logged = LogContract.drain(subscription, 2000);
        }
        assertThat(LogContract.positions(logged)).isSorted().doesNotHaveDuplicates();
        assertThat(inStream(logged, expected)).containsExactlyElementsOf(versioned(first, 1));
        assertThat(inStream(logged, any)).containsExactlyElementsOf(versioned(second, 1));
        assertThat(inStream(logged, versionless)).containsExactlyElementsOf(third);
        assertThat(logged).hasSize(3 * size);
    }

    private static List<WrappedEvent<?>> inStream(List<RecordedEvent<?>> logged, StreamId stream) {
        return logged.stream().filter(event -> event.streamId().equals(stream))
                .<WrappedEvent<?>>map(RecordedEvent::wrappedEvent).toList();
    }
}

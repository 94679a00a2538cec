package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.ExpectedVersionUsedOnVersionlessStreamException;
import dev.eventsourcery.eventstore.NoExpectedVersionGivenOnVersionedStreamException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.VersioningMismatchException;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;

/** Versionless streams, and events that carry their version in. */
public interface VersionlessStreamContract extends ContractFixture {

    @Test
    default void versionlessStreamStoresEventsWithoutVersionInAppendOrder() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> first = numbers(1, 2);
        List<WrappedEvent<?>> second = numbers(3, 2);

        store().append(stream, Versioning.NO_VERSIONING, first);
        store().append(stream, Versioning.NO_VERSIONING, second);

        List<WrappedEvent<?>> loaded = store().loadStream(stream);
        assertThat(versionsOf(loaded)).containsOnlyNulls().hasSize(4);
        assertThat(loaded).containsExactly(first.get(0), first.get(1), second.get(0), second.get(1));
    }

    @Test
    default void versionlessStreamLoadsWholeWhateverTheBounds() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = numbers(1, 3);
        store().append(stream, Versioning.NO_VERSIONING, events);

        assertThat(store().loadStream(stream, 2L, 3L)).containsExactlyElementsOf(events);
    }

    @Test
    default void noVersioningOnAVersionedStreamIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 2);

        assertThatThrownBy(() -> store().append(stream, Versioning.NO_VERSIONING, numbers(3, 1)))
                .isInstanceOf(NoExpectedVersionGivenOnVersionedStreamException.class)
                .isInstanceOf(VersioningMismatchException.class);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
    }

    @Test
    default void expectedVersionOnAVersionlessStreamIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = numbers(1, 2);
        store().append(stream, Versioning.NO_VERSIONING, stored);

        assertThatThrownBy(() -> store().append(stream, 2, numbers(3, 1)))
                .isInstanceOf(ExpectedVersionUsedOnVersionlessStreamException.class)
                .isInstanceOf(VersioningMismatchException.class);
        assertThatThrownBy(() -> store().append(stream, 0, numbers(3, 1)))
                .isInstanceOf(ExpectedVersionUsedOnVersionlessStreamException.class);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
    }

    @Test
    default void anyVersionOnAVersionlessStreamIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = numbers(1, 1);
        store().append(stream, Versioning.NO_VERSIONING, stored);

        assertThatThrownBy(() -> store().append(stream, Versioning.ANY, numbers(2, 1)))
                .isInstanceOf(ExpectedVersionUsedOnVersionlessStreamException.class);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
    }

    @Test
    default void preVersionedEventsWithTheVersionsTheyGetAreAccepted() {
        StreamId stream = StreamId.random();
        givenStream(stream, 2);
        WrappedEvent<NumberAdded> third = WrappedEvent.wrap(new NumberAdded(3), 3L);
        WrappedEvent<NumberAdded> fourth = WrappedEvent.wrap(new NumberAdded(4), 4L);

        store().append(stream, 2, third, fourth);

        assertThat(store().loadStream(stream, 3L, null)).containsExactly(third, fourth);
    }

    @Test
    default void preVersionedEventWithAWrongVersionIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 2);

        assertThatThrownBy(() -> store().append(stream, 2, WrappedEvent.wrap(new NumberAdded(3), 5L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5").hasMessageContaining("3");
        assertThatThrownBy(() -> store().append(stream, 2,
                WrappedEvent.wrap(new NumberAdded(3), 3L), WrappedEvent.wrap(new NumberAdded(4), 3L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().append(stream, 2, WrappedEvent.wrap(new NumberAdded(3), 0L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
    }

    @Test
    default void preVersionedEventsAppendedWithAnyMustCarryTheVersionsTheyGet() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 2);

        assertThatThrownBy(() -> store().append(stream, Versioning.ANY, WrappedEvent.wrap(new NumberAdded(3), 7L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7");
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);

        WrappedEvent<NumberAdded> third = WrappedEvent.wrap(new NumberAdded(3), 3L);
        store().append(stream, Versioning.ANY, third);
        assertThat(store().loadStream(stream, 3L, null)).containsExactly(third);
    }

    @Test
    default void preVersionedEventOnAVersionlessStreamIsRefused() {
        StreamId stream = StreamId.random();

        assertThatThrownBy(() -> store().append(stream, Versioning.NO_VERSIONING, WrappedEvent.wrap(new NumberAdded(1), 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("versionless");
        assertThat(store().loadStream(stream)).isEmpty();
    }
}

package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.InvalidSnapshotException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;

/** Snapshots: what they replace on load, and which are refused. */
public interface SnapshotContract extends ContractFixture {

    @Test
    default void snapshotReplacesTheHistoryItSummarises() {
        StreamId stream = StreamId.random();
        givenStream(stream, 3);
        WrappedEvent<Total> snapshot = WrappedEvent.wrap(new Total(6, 3), 3L);

        store().saveSnapshot(stream, snapshot);

        assertThat(store().loadStream(stream)).containsExactly(snapshot);
    }

    @Test
    default void latestOfSeveralSnapshotsWins() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = givenStream(stream, 6);
        WrappedEvent<Total> atTwo = WrappedEvent.wrap(new Total(3, 2), 2L);
        WrappedEvent<Total> atFive = WrappedEvent.wrap(new Total(15, 5), 5L);
        WrappedEvent<Total> atFour = WrappedEvent.wrap(new Total(10, 4), 4L);

        store().saveSnapshot(stream, atTwo);
        store().saveSnapshot(stream, atFive);
        store().saveSnapshot(stream, atFour);

        assertThat(store().loadStream(stream)).containsExactly(atFive, events.get(5));
    }

    @Test
    default void eventsAppendedAfterTheSnapshotFollowIt() {
        StreamId stream = StreamId.random();
        givenStream(stream, 2);
        WrappedEvent<Total> snapshot = WrappedEvent.wrap(new Total(3, 2), 2L);
        store().saveSnapshot(stream, snapshot);
        List<WrappedEvent<?>> later = numbers(3, 2);

        store().append(stream, 2, later);

        List<WrappedEvent<?>> expected = new ArrayList<>();
        expected.add(snapshot);
        expected.addAll(versioned(later, 3));
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(expected);
    }

    @Test
    default void onlyASnapshotWithinStartAndStopIsUsed() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = givenStream(stream, 8);
        WrappedEvent<Total> atThree = WrappedEvent.wrap(new Total(6, 3), 3L);
        WrappedEvent<Total> atSix = WrappedEvent.wrap(new Total(21, 6), 6L);
        store().saveSnapshot(stream, atThree);
        store().saveSnapshot(stream, atSix);

        // stop excludes the snapshot at 6: the one at 3 is the latest in range
        assertThat(store().loadStream(stream, null, 6L)).containsExactly(atThree, events.get(3), events.get(4));
        // start after both snapshots: plain events
        assertThat(store().loadStream(stream, 7L, null)).containsExactlyElementsOf(events.subList(6, 8));
        // the snapshot at 3 is the start itself, so it is in range
        assertThat(store().loadStream(stream, 3L, 5L)).containsExactly(atThree, events.get(3));
        // no snapshot in [1, 3)
        assertThat(store().loadStream(stream, 1L, 3L)).containsExactlyElementsOf(events.subList(0, 2));
    }

    @Test
    default void snapshotAtVersionZeroIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = givenStream(stream, 2);

        assertThatThrownBy(() -> store().saveSnapshot(stream, WrappedEvent.wrap(new Total(0, 0), 0L)))
                .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("0");
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(events);
    }

    @Test
    default void snapshotWithoutVersionIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = givenStream(stream, 2);

        assertThatThrownBy(() -> store().saveSnapshot(stream, WrappedEvent.wrap(new Total(3, 2))))
                .isInstanceOf(InvalidSnapshotException.class);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(events);
    }

    @Test
    default void snapshotAboveTheStreamVersionIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = givenStream(stream, 2);

        assertThatThrownBy(() -> store().saveSnapshot(stream, WrappedEvent.wrap(new Total(6, 3), 3L)))
                .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("3");
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(events);
    }

    @Test
    default void snapshotOfAMissingStreamIsRefused() {
        StreamId stream = StreamId.random();

        assertThatThrownBy(() -> store().saveSnapshot(stream, WrappedEvent.wrap(new Total(1, 1), 1L)))
                .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("does not exist");
        assertThat(store().loadStream(stream)).isEmpty();
    }

    @Test
    default void snapshotOfAVersionlessStreamIsRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = numbers(1, 2);
        store().append(stream, Versioning.NO_VERSIONING, events);

        assertThatThrownBy(() -> store().saveSnapshot(stream, WrappedEvent.wrap(new Total(3, 2), 1L)))
                .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("versionless");
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(events);
    }

    @Test
    default void snapshotsAreTenantScoped() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> inDefault = givenStream(stream, 2);
        List<WrappedEvent<?>> inTenant = givenStream(store().scopedForTenant("acme"), stream, 2);
        WrappedEvent<Total> snapshot = WrappedEvent.wrap(new Total(3, 2), 2L);

        store().scopedForTenant("acme").saveSnapshot(stream, snapshot);

        assertThat(store().scopedForTenant("acme").loadStream(stream)).containsExactly(snapshot);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(inDefault);
        assertThat(store().scopedForTenant("other").loadStream(stream)).isEmpty();
        assertThat(inTenant).hasSize(2);
    }
}

package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * Retrying an append after a lost acknowledgement: exactly the same events with the same expected
 * version are recognised as already stored and stored only once; anything that only partly matches
 * what is stored is refused as a duplicate.
 */
public interface IdempotentRetryContract extends ContractFixture {

    @Test
    default void retryOfAStoredAppendSucceedsWithoutStoringAnythingTwice() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> batch = numbers(1, 3);
        store().append(stream, 0, batch);
        Optional<Position> position = store().position();

        store().append(stream, 0, batch);

        assertThat(store().loadStream(stream)).containsExactlyElementsOf(versioned(batch, 1));
        assertThat(store().position()).isEqualTo(position);
    }

    @Test
    default void retryIsRecognisedAfterOtherWritersMovedTheStreamOn() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> first = givenStream(stream, 2);
        List<WrappedEvent<?>> lost = numbers(3, 2);
        store().append(stream, 2, lost);
        List<WrappedEvent<?>> later = numbers(5, 1);
        store().append(stream, 4, later);

        store().append(stream, 2, lost);

        assertThat(versionsOf(store().loadStream(stream))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store().loadStream(stream, 3L, 5L)).containsExactlyElementsOf(versioned(lost, 3));
        assertThat(store().loadStream(stream, null, 3L)).containsExactlyElementsOf(first);
    }

    @Test
    default void retryOfPreVersionedEventsIsRecognised() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> batch = versioned(numbers(1, 2), 1);
        store().append(stream, 0, batch);

        store().append(stream, 0, batch);
        store().append(stream, Versioning.ANY, batch);

        assertThat(store().loadStream(stream)).containsExactlyElementsOf(batch);
    }

    @Test
    default void batchPartlyOverlappingStoredEventsIsRefusedAsDuplicateAndWritesNothing() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 2);
        WrappedEvent<?> fresh = numbers(9, 1).get(0);
        List<WrappedEvent<?>> overlapping = List.of(stored.get(0).withVersion(null), fresh);

        assertThatThrownBy(() -> store().append(stream, 0, overlapping))
                .isInstanceOf(DuplicateEventException.class)
                .hasMessageContaining(stored.get(0).uuid().toString());
        assertThatThrownBy(() -> store().append(stream, 2, overlapping))
                .isInstanceOf(DuplicateEventException.class);

        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
        assertThat(store().loadStream(stream)).extracting(WrappedEvent::uuid).doesNotContain(fresh.uuid());
    }

    @Test
    default void sameEventsInAnotherOrderOrWithAnotherExpectedVersionAreRefusedAsDuplicates() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> batch = numbers(1, 2);
        store().append(stream, 0, batch);
        store().append(stream, 2, numbers(3, 1));

        assertThatThrownBy(() -> store().append(stream, 0, List.of(batch.get(1), batch.get(0))))
                .isInstanceOf(DuplicateEventException.class);
        assertThatThrownBy(() -> store().append(stream, 1, batch))
                .isInstanceOf(DuplicateEventException.class);

        assertThat(versionsOf(store().loadStream(stream))).containsExactly(1L, 2L, 3L);
    }

    @Test
    default void conflictWithNoneOfTheEventsStoredIsStillAConflict() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 2);

        assertThatThrownBy(() -> store().append(stream, 1, numbers(3, 2)))
                .isInstanceOf(ConcurrentStreamWriteException.class);

        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
    }

    @Test
    default void resendingWithAnyOrNoVersioningIsRefusedAsDuplicate() {
        StreamId versioned = StreamId.random();
        StreamId versionless = StreamId.random();
        List<WrappedEvent<?>> any = numbers(1, 2);
        List<WrappedEvent<?>> none = numbers(3, 2);
        store().append(versioned, Versioning.ANY, any);
        store().append(versionless, Versioning.NO_VERSIONING, none);

        assertThatThrownBy(() -> store().append(versioned, Versioning.ANY, any)).isInstanceOf(DuplicateEventException.class);
        assertThatThrownBy(() -> store().append(versionless, Versioning.NO_VERSIONING, none))
                .isInstanceOf(DuplicateEventException.class);

        assertThat(store().loadStream(versioned)).hasSize(2);
        assertThat(store().loadStream(versionless)).containsExactlyElementsOf(none);
    }

    @Test
    default void storedEventsOfTheSameStreamIdInAnotherTenantAreNotMistakenForARetry() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> batch = numbers(1, 1);
        store().scopedForTenant("acme").append(stream, 0, batch);
        store().append(stream, 0, numbers(2, 1));

        assertThatThrownBy(() -> store().append(stream, 0, batch)).isInstanceOf(ConcurrentStreamWriteException.class);
        assertThatThrownBy(() -> store().append(stream, 1, batch)).isInstanceOf(DuplicateEventException.class);

        assertThat(store().loadStream(stream)).hasSize(1).extracting(WrappedEvent::uuid).doesNotContain(batch.get(0).uuid());
        assertThat(store().scopedForTenant("acme").loadStream(stream)).containsExactlyElementsOf(versioned(batch, 1));
    }
}

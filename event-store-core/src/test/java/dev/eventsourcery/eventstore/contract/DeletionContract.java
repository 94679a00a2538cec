package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;

/** Deleting streams. */
public interface DeletionContract extends ContractFixture {

    @Test
    default void deletingAStreamRemovesItsEvents() {
        StreamId stream = StreamId.random();
        StreamId other = StreamId.random();
        givenStream(stream, 3);
        List<WrappedEvent<?>> kept = givenStream(other, 1);

        store().deleteStream(stream);

        assertThat(store().loadStream(stream)).isEmpty();
        assertThat(store().loadStream(other)).containsExactlyElementsOf(kept);
    }

    @Test
    default void deletingAStreamRemovesItsSnapshots() {
        StreamId stream = StreamId.random();
        givenStream(stream, 3);
        store().saveSnapshot(stream, WrappedEvent.wrap(new Total(6, 3), 3L));

        store().deleteStream(stream);
        List<WrappedEvent<?>> fresh = givenStream(stream, 4);

        assertThat(store().loadStream(stream)).containsExactlyElementsOf(fresh);
    }

    @Test
    default void deletingAMissingStreamIsANoOp() {
        StreamId other = StreamId.random();
        List<WrappedEvent<?>> kept = givenStream(other, 2);

        assertThatCode(() -> store().deleteStream(StreamId.random())).doesNotThrowAnyException();
        assertThat(store().loadStream(other)).containsExactlyElementsOf(kept);
    }

    @Test
    default void deletedStreamStartsAgainFromVersionZero() {
        StreamId stream = StreamId.random();
        givenStream(stream, 5);

        store().deleteStream(stream);
        List<WrappedEvent<?>> again = givenStream(stream, 2);

        assertThat(store().loadStream(stream)).containsExactlyElementsOf(again);
        assertThat(versionsOf(store().loadStream(stream))).containsExactly(1L, 2L);
    }
}

package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;

/** The store's position: the highest position of any stored event. */
public interface PositionContract extends ContractFixture {

    @Test
    default void emptyStoreHasNoPosition() {
        assertThat(store().position()).isEmpty();
    }

    @Test
    default void positionGrowsStrictlyOverAppendsAcrossStreamsAndTenants() {
        List<Position> seen = new ArrayList<>();

        givenStream(StreamId.random(), 1);
        seen.add(store().position().orElseThrow());
        givenStream(store().scopedForTenant("acme"), StreamId.random(), 3);
        seen.add(store().position().orElseThrow());
        store().scopedForTenant("globex").append(StreamId.random(), Versioning.NO_VERSIONING, numbers(1, 1));
        seen.add(store().position().orElseThrow());
        givenStream(StreamId.random().withCategory("c"), 2);
        seen.add(store().position().orElseThrow());

        assertThat(seen).isSorted().doesNotHaveDuplicates();
        assertThat(store().scopedForTenant("acme").position()).contains(seen.get(3));
    }

    @Test
    default void positionIsUnchangedByARefusedAppend() {
        StreamId stream = StreamId.random();
        givenStream(stream, 2);
        Position before = store().position().orElseThrow();

        try {
            store().append(stream, 7, numbers(3, 1));
        } catch (RuntimeException expected) {
            // refused: checked below
        }

        assertThat(store().position()).contains(before);
    }
}

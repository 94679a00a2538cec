package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.UnknownEventTypeException;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.TextNoted;
import dev.eventsourcery.eventstore.contract.ContractEvents.Unserializable;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;

/** Calls the store refuses, with the exception named by the API and nothing written. */
public interface RefusalContract extends ContractFixture {

    @Test
    default void storedEventUuidIsRefusedAgain() {
        StreamId stream = StreamId.random();
        StreamId other = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 1);
        WrappedEvent<?> again = WrappedEvent.wrap(new NumberAdded(2));
        WrappedEvent<?> duplicate = new WrappedEvent<>(new NumberAdded(3), null, stored.get(0).uuid(),
                stored.get(0).createdAt(), Context.empty());

        assertThatThrownBy(() -> store().append(stream, 1, again, duplicate))
                .isInstanceOf(DuplicateEventException.class);
        assertThatThrownBy(() -> store().append(other, 0, duplicate))
                .isInstanceOf(DuplicateEventException.class);
        assertThatThrownBy(() -> store().scopedForTenant("acme").append(other, 0, duplicate))
                .isInstanceOf(DuplicateEventException.class);

        assertThat(store().loadStream(stream)).containsExactlyElementsOf(stored);
        assertThat(store().loadStream(other)).isEmpty();
        assertThat(store().scopedForTenant("acme").loadStream(other)).isEmpty();
    }

    @Test
    default void sameEventUuidTwiceInOneAppendIsRefused() {
        StreamId stream = StreamId.random();
        WrappedEvent<?> event = WrappedEvent.wrap(new NumberAdded(1));

        assertThatThrownBy(() -> store().append(stream, 0, List.of(event, event)))
                .isInstanceOf(DuplicateEventException.class)
                .hasMessageContaining(event.uuid().toString());
        assertThat(store().loadStream(stream)).isEmpty();
        assertThat(store().position()).isEmpty();
    }

    @Test
    default void emptyAppendIsRefused() {
        StreamId stream = StreamId.random();

        assertThatThrownBy(() -> store().append(stream, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThat(store().loadStream(stream)).isEmpty();
    }

    @Test
    default void nullArgumentsAreRefused() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> withNull = new ArrayList<>(numbers(1, 1));
        withNull.add(null);

        assertThatThrownBy(() -> store().append(null, 0, numbers(1, 1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store().append(stream, null, numbers(1, 1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store().append(stream, 0, withNull)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store().loadStream(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store().saveSnapshot(stream, null)).isInstanceOf(NullPointerException.class);
        assertThat(store().loadStream(stream)).isEmpty();
        assertThat(store().position()).isEmpty();
    }

    @Test
    default void unserializablePayloadIsRefusedWithItsTypeAndNothingIsWritten() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> batch = new ArrayList<>(numbers(1, 3));
        batch.add(WrappedEvent.wrap(new Unserializable("x")));
        batch.addAll(numbers(5, 2));

        assertThatThrownBy(() -> store().append(stream, 0, batch))
                .isInstanceOf(EventSerializationException.class)
                .hasMessageContaining("Unserializable");
        assertThat(store().loadStream(stream)).isEmpty();
        assertThat(store().position()).isEmpty();
    }

    @Test
    default void unknownStoredTypeIsRefusedOnLoadNamingTypeStreamAndVersion() {
        StreamId stream = StreamId.named("typed-stream");
        store().append(stream, 0, WrappedEvent.wrap(new NumberAdded(1)), WrappedEvent.wrap(new TextNoted("x")));

        EventTypeRegistry onlyNumbers = new EventTypeRegistry().register(NumberAdded.class);

        assertThatThrownBy(() -> storeWith(onlyNumbers).loadStream(stream))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("contract.TextNoted")
                .hasMessageContaining("typed-stream")
                .hasMessageContaining("version 2");
        assertThat(storeWith(onlyNumbers).loadStream(stream, 1L, 2L)).hasSize(1);
    }

    @Test
    default void explicitlyRegisteredTypesLoadBeforeAnyAppend() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> stored = givenStream(stream, 2);

        EventTypeRegistry fresh = new EventTypeRegistry().register(NumberAdded.class);

        assertThat(storeWith(fresh).loadStream(stream)).containsExactlyElementsOf(stored);
    }
}

package dev.eventsourcery.eventstore.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantResolver;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.EventUpcasters;

/** What every contract needs from the backend under test, and shared helpers. */
public interface ContractFixture {

    /** A store in the default tenant over an empty backend, fresh for each test. */
    EventStore store();

    /** A store over the same backend as {@link #store()} with the given type registry. */
    EventStore storeWith(EventTypeRegistry registry);

    /** A store over the same backend as {@link #store()} with the given type registry and upcasters. */
    EventStore storeWith(EventTypeRegistry registry, EventUpcasters upcasters);

    /**
     * A store over the same backend and with the same type registry as {@link #store()} that asks {@code resolver}
     * for the tenant of every call.
     */
    EventStore storeWith(TenantResolver resolver);

    /** {@code count} wrapped {@link NumberAdded} events numbered from {@code first}, without versions. */
    default List<WrappedEvent<?>> numbers(int first, int count) {
        List<WrappedEvent<?>> events = new ArrayList<>();
        IntStream.range(first, first + count).forEach(i -> events.add(WrappedEvent.wrap(new NumberAdded(i))));
        return events;
    }

    /** Appends {@code count} events to a new stream and returns them with the versions they got. */
    default List<WrappedEvent<?>> givenStream(StreamId streamId, int count) {
        return givenStream(store(), streamId, count);
    }

    /** Appends {@code count} events to a new stream of the given store and returns them with their versions. */
    default List<WrappedEvent<?>> givenStream(EventStore store, StreamId streamId, int count) {
        List<WrappedEvent<?>> events = numbers(1, count);
        store.append(streamId, 0, events);
        return versioned(events, 1);
    }

    /** The events with versions {@code firstVersion, firstVersion + 1, …}. */
    default List<WrappedEvent<?>> versioned(List<WrappedEvent<?>> events, long firstVersion) {
        List<WrappedEvent<?>> result = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            result.add(events.get(i).withVersion(firstVersion + i));
        }
        return result;
    }

    /** The versions of the loaded events, in order. */
    default List<Long> versionsOf(List<WrappedEvent<?>> events) {
        return events.stream().map(WrappedEvent::version).toList();
    }
}

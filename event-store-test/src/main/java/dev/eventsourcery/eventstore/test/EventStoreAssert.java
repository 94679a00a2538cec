package dev.eventsourcery.eventstore.test;

import org.assertj.core.api.AbstractAssert;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;

/**
 * Assertions on an {@link EventStore}: they lead to one of its streams or to its log. What they check is read
 * when {@link #stream(StreamId)} or {@link #log()} is called, as a subscription reads it: every event committed
 * by then, none that a transaction still holds.
 */
public final class EventStoreAssert extends AbstractAssert<EventStoreAssert, EventStore> {

    EventStoreAssert(EventStore store) {
        super(store, EventStoreAssert.class);
    }

    /** Assertions on the stream's events, in the store's tenant. */
    public StreamAssert stream(StreamId streamId) {
        isNotNull();
        return described(StreamAssert.read(actual, streamId));
    }

    /** Assertions on the log of the store's tenant: every event of its streams, in position order. */
    public LogAssert log() {
        isNotNull();
        return described(LogAssert.read(actual, false));
    }

    /** Assertions on the log of every tenant, the default one included, in position order. */
    public LogAssert logInAllTenants() {
        isNotNull();
        return described(LogAssert.read(actual, true));
    }

    private <A extends AbstractAssert<A, ?>> A described(A next) {
        return info.hasDescription() ? next.describedAs(info.description()) : next;
    }
}

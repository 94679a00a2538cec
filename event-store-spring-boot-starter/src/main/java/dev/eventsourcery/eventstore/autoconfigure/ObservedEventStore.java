package dev.eventsourcery.eventstore.autoconfigure;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.SubscriptionBuilder;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * An event store whose appends and loads are observed ({@link EventStoreObservations}), everything else passed
 * through unchanged; its tenant views are observed too.
 */
final class ObservedEventStore implements EventStore {

    private final EventStore delegate;
    private final EventStoreObservations observations;

    ObservedEventStore(EventStore delegate, EventStoreObservations observations) {
        this.delegate = delegate;
        this.observations = observations;
    }

    @Override
    public Optional<Position> position() {
        return delegate.position();
    }

    @Override
    public void append(StreamId streamId, Versioning versioning, List<? extends WrappedEvent<?>> events) {
        observations.append(events, () -> delegate.append(streamId, versioning, events));
    }

    @Override
    public List<WrappedEvent<?>> loadStream(StreamId streamId, @Nullable Long start, @Nullable Long stop) {
        return observations.load(() -> delegate.loadStream(streamId, start, stop));
    }

    @Override
    public void deleteStream(StreamId streamId) {
        delegate.deleteStream(streamId);
    }

    @Override
    public void saveSnapshot(StreamId streamId, WrappedEvent<?> snapshot) {
        delegate.saveSnapshot(streamId, snapshot);
    }

    @Override
    public SubscriptionBuilder subscribe() {
        return delegate.subscribe();
    }

    @Override
    public EventStore scopedForTenant(TenantId tenantId) {
        return new ObservedEventStore(delegate.scopedForTenant(tenantId), observations);
    }

    @Override
    public String toString() {
        return "observed " + delegate;
    }
}

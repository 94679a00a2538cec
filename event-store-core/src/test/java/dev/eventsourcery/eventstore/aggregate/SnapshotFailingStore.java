package dev.eventsourcery.eventstore.aggregate;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.SubscriptionBuilder;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;

/** A store whose {@code saveSnapshot} fails, as a database that is gone for a moment would; all else works. */
final class SnapshotFailingStore implements EventStore {

    final AtomicInteger snapshotsTried = new AtomicInteger();
    private final EventStore delegate;

    SnapshotFailingStore(EventStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void saveSnapshot(StreamId streamId, WrappedEvent<?> snapshot) {
        snapshotsTried.incrementAndGet();
        throw new IllegalStateException("the snapshot table is unavailable");
    }

    @Override
    public Optional<Position> position() {
        return delegate.position();
    }

    @Override
    public void append(StreamId streamId, Versioning versioning, List<? extends WrappedEvent<?>> events) {
        delegate.append(streamId, versioning, events);
    }

    @Override
    public List<WrappedEvent<?>> loadStream(StreamId streamId, @Nullable Long start, @Nullable Long stop) {
        return delegate.loadStream(streamId, start, stop);
    }

    @Override
    public void deleteStream(StreamId streamId) {
        delegate.deleteStream(streamId);
    }

    @Override
    public SubscriptionBuilder subscribe() {
        return delegate.subscribe();
    }

    @Override
    public EventStore scopedForTenant(TenantId tenantId) {
        return new SnapshotFailingStore(delegate.scopedForTenant(tenantId));
    }
}

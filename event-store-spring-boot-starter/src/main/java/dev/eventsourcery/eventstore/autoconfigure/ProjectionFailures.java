package dev.eventsourcery.eventstore.autoconfigure;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.spring.projection.ProjectionObserver;

/**
 * Since when each projection this instance runs has kept failing: from its first failed attempt at an event
 * until a batch of it commits again. A projection retrying without limit (the outbox, while its broker is
 * unreachable) never reaches the state {@code FAILED}; the health indicator reports it DOWN from this.
 */
final class ProjectionFailures implements ProjectionObserver {

    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();
    private final Clock clock;

    ProjectionFailures(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void failed(String projection) {
        failingSince.putIfAbsent(projection, clock.instant());
    }

    @Override
    public void batchHandled(String projection, int events, long nanos) {
        failingSince.remove(projection);
    }

    /** Since when the projection has kept failing on this instance; {@code null} when it is not failing. */
    @Nullable Instant failingSince(String projection) {
        return failingSince.get(projection);
    }
}

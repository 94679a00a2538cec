package dev.eventsourcery.eventstore.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.SubscriptionBuilder;

/**
 * Reads the log as it is now, the way a subscription reads it. The store's position is asked first: a backend
 * that gives committed events their positions after the commit gives them then, so that the reading sees every
 * event committed before it; events committed while it reads are left out.
 */
final class LogReading {

    private static final int PAGE = 500;

    private LogReading() {
    }

    static List<RecordedEvent<?>> read(EventStore store, boolean allTenants, @Nullable String category) {
        Optional<Position> head = store.position();
        if (head.isEmpty()) {
            return List.of();
        }
        SubscriptionBuilder builder = store.subscribe();
        if (allTenants) {
            builder = builder.inAllTenants();
        }
        if (category != null) {
            builder = builder.toCategory(category);
        }
        List<RecordedEvent<?>> events = new ArrayList<>();
        try (Subscription subscription = builder.build()) {
            while (true) {
                List<RecordedEvent<?>> page = subscription.poll(PAGE, Duration.ZERO);
                if (page.isEmpty()) {
                    return events;
                }
                for (RecordedEvent<?> event : page) {
                    if (event.position().compareTo(head.get()) > 0) {
                        return events;
                    }
                    events.add(event);
                }
            }
        }
    }
}

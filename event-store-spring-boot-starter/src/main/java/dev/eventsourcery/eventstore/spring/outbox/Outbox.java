package dev.eventsourcery.eventstore.spring.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.serialization.EventSerializer;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.spring.projection.ProjectionDeclaration;
import dev.eventsourcery.eventstore.spring.projection.ProjectionHandler;

/**
 * The transactional outbox on the log: a projection that hands each batch of the log's events to an
 * {@link OutboxPublisher}, inside the transaction that moves its checkpoint past them. Nothing is written per
 * append: the log is the outbox. The projection machinery gives it the rest — one instance at a time publishes
 * (the one holding the lease), another takes over when it dies, and {@code Projections} (or the
 * {@code eventstore} endpoint) pauses, resumes and resets it.
 *
 * <ul>
 * <li><b>At least once, each stream in order.</b> The checkpoint moves only when the publisher returned, that is
 * when the broker has the whole batch, handed to it in log order. A batch that fails is rolled back and
 * published again: its events one at a time, the failing one retried with the projections' back-off
 * ({@code event-store.projections.initial-back-off}, {@code back-off-multiplier}, {@code max-back-off}) for as
 * long as it takes — a broker that is down or refuses a message never makes the outbox skip an event. So a
 * consumer may see a message again (those of a batch in flight at a fault) but never misses one: it
 * de-duplicates on the event id. The publisher keeps each stream's order at the broker (see
 * {@link OutboxPublisher}), so the first copies of a stream's events arrive in version order; across streams
 * the order is the publisher's.</li>
 * <li><b>Filters.</b> By category (one category is read from the log as such; several are filtered here),
 * stored type name and tenant; events left out only move the checkpoint.</li>
 * <li><b>Payload.</b> Events are written as JSON with the store's {@link EventSerializer}, as the store wrote
 * them when they were appended.</li>
 * <li><b>Failures</b> are logged as a warning when the outbox starts failing, then once a minute while it goes
 * on failing, and the recovery at info level.</li>
 * <li><b>An event the log cannot read</b> (its type has no class, its JSON no longer binds) is not skipped
 * either: it is read again with the same back-off without limit, after a warning that names it, each attempt
 * counted as a failure, so that the health indicator reports the outbox DOWN once it has kept failing for
 * {@code event-store.projections.failing-down-after}. It goes on once the event reads, as when an instance
 * that has the class takes over in a rolling deployment.</li>
 * </ul>
 */
public final class Outbox {

    private static final Log logger = LogFactory.getLog(Outbox.class);
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

    private final OutboxSettings settings;
    private final OutboxPublisher publisher;
    private final EventSerializer serializer;
    private final EventTypeRegistry eventTypes;
    /** When the publisher began failing, {@code null} while it succeeds; the outbox runs on one thread. */
    private @Nullable Instant failingSince;
    private int failedAttempts;
    private long lastWarning;

    private Outbox(OutboxSettings settings, OutboxPublisher publisher, EventSerializer serializer,
            EventTypeRegistry eventTypes) {
        this.settings = settings;
        this.publisher = publisher;
        this.serializer = serializer;
        this.eventTypes = eventTypes;
    }

    /**
     * The outbox's projection, to declare as a bean (the starter's auto-configuration declares it when
     * {@code event-store.outbox.enabled=true} and there is an {@link OutboxPublisher} bean). It tries a failing
     * batch again without limit, with the projections' back-off.
     *
     * @param serializer the store's serializer, which writes the messages' JSON payload
     * @param eventTypes the store's event type registry, which names the events' types
     */
    public static ProjectionDeclaration projection(OutboxSettings settings, OutboxPublisher publisher,
            EventSerializer serializer, EventTypeRegistry eventTypes) {
        Outbox outbox = new Outbox(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(publisher, "publisher"), Objects.requireNonNull(serializer, "serializer"),
                Objects.requireNonNull(eventTypes, "eventTypes"));
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("name", settings.name());
        if (settings.categories().size() == 1) {
            attributes.put("category", settings.categories().iterator().next());
        }
        attributes.put("tenants", settings.tenants().stream().map(TenantId::value).sorted().toArray(String[]::new));
        attributes.put("startAt", settings.startAt());
        attributes.put("batchSize", settings.batchSize());
        // a broker outage must never make the outbox give up on an event
        attributes.put("maxAttempts", Integer.MAX_VALUE);
        return ProjectionDeclaration.of(outbox, attributes);
    }

    /** Publishes the events the filters let through, in log order; returns once the broker has them all. */
    @ProjectionHandler
    void publish(List<RecordedEvent<Object>> events) {
        List<OutboxMessage> messages = new ArrayList<>(events.size());
        for (RecordedEvent<Object> event : events) {
            String category = event.streamId().category();
            if (!settings.categories().isEmpty() && (category == null || !settings.categories().contains(category))) {
                continue;
            }
            String type = eventTypes.typeNameOf(event.event().getClass());
            if (!settings.eventTypes().isEmpty() && !settings.eventTypes().contains(type)) {
                continue;
            }
            messages.add(OutboxMessage.of(event, type, serializer.serialize(event.event())));
        }
        if (messages.isEmpty()) {
            return;
        }
        try {
            publisher.publish(List.copyOf(messages));
        } catch (RuntimeException e) {
            failed(messages.get(0), e);
            throw e;
        }
        if (failingSince != null) {
            logger.info("Outbox '" + settings.name() + "' publishes again, after " + failedAttempts
                    + " failed attempts since " + failingSince);
            failingSince = null;
            failedAttempts = 0;
        }
    }

    /**
     * Logs a failure as a warning when the outbox starts failing and then at most once a minute while it goes on
     * failing (the runner tries again without limit, each attempt counted in the projection's failure metric).
     */
    private void failed(OutboxMessage first, RuntimeException failure) {
        failedAttempts++;
        long now = System.nanoTime();
        if (failingSince == null) {
            failingSince = Instant.now();
            lastWarning = now;
            logger.warn("Outbox '" + settings.name() + "' could not publish the events from position "
                    + first.position() + " through " + publisher + "; it tries again with back-off until it can",
                    failure);
        } else if (now - lastWarning >= WARNING_INTERVAL.toNanos()) {
            lastWarning = now;
            logger.warn("Outbox '" + settings.name() + "' still cannot publish the events from position "
                    + first.position() + " (" + failedAttempts + " failed attempts since " + failingSince + "): "
                    + failure.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Outbox '" + settings.name() + "' to " + publisher;
    }
}

package dev.eventsourcery.eventstore.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.UnreadableEventException;
import dev.eventsourcery.eventstore.WrappedEvent;

/**
 * A {@link Subscription} over a backend's log: each poll reads the events after the last one it
 * delivered, filtered by the backend, and when there are none waits for the log to grow. It keeps no
 * connection or transaction between polls: only the position it has delivered up to.
 */
final class StorageSubscription implements Subscription {

    private final EventStorage storage;
    private final EventRecords records;
    private final @Nullable TenantId tenant;
    private final @Nullable String category;
    private final @Nullable Set<String> types;
    private final boolean started;
    private long delivered;
    private long head;
    private boolean closed;

    StorageSubscription(EventStorage storage, EventRecords records, @Nullable Position after, @Nullable TenantId tenant,
            @Nullable String category, @Nullable Set<String> types) {
        this.storage = storage;
        this.records = records;
        this.tenant = tenant;
        this.category = category;
        this.types = types;
        this.started = after != null;
        this.delivered = after == null ? 0 : after.value();
        this.head = delivered;
    }

    @Override
    public List<RecordedEvent<?>> poll(int maxEvents, Duration timeLimit) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("A poll must ask for at least one event, got " + maxEvents);
        }
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative()) {
            throw new IllegalArgumentException("A poll's time limit must not be negative, got " + timeLimit);
        }
        if (closed) {
            throw new IllegalStateException("The subscription is closed");
        }
        long deadline = System.nanoTime() + timeLimit.toNanos();
        while (true) {
            LogPage page = storage.readLog(new LogQuery(delivered, maxEvents, tenant, category, types));
            if (!page.records().isEmpty()) {
                return deliver(page.records());
            }
            head = Math.max(head, page.head());
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return List.of();
            }
            try {
                storage.awaitLog(head, Duration.ofNanos(remaining));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }

    /**
     * Turns the read records into events. When one cannot be read (its type has no class, its JSON does not
     * read as its class), the ones before it are delivered and the subscription stays before it, so that the
     * next poll reports it, naming where it lies: a consumer then knows which position it failed on.
     */
    private List<RecordedEvent<?>> deliver(List<LogRecord> read) {
        List<RecordedEvent<?>> events = new ArrayList<>(read.size());
        for (LogRecord record : read) {
            WrappedEvent<?> event;
            try {
                event = records.toEvent(record.streamId(), record.event());
            } catch (RuntimeException e) {
                if (events.isEmpty()) {
                    throw new UnreadableEventException(new Position(record.position()), record.tenantId(),
                            record.streamId(), record.event().type(), record.event().uuid(), e);
                }
                break;
            }
            events.add(recorded(event, record));
            delivered = record.position();
        }
        head = Math.max(head, delivered);
        return events;
    }

    private static <E> RecordedEvent<E> recorded(WrappedEvent<E> event, LogRecord record) {
        return new RecordedEvent<>(event, record.streamId(), record.tenantId(), new Position(record.position()));
    }

    @Override
    public Optional<Position> position() {
        return started || delivered > 0 ? Optional.of(new Position(delivered)) : Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
    }
}

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
 * connection or transaction between polls: only the positions it has delivered and read up to.
 *
 * <p>A filter on event classes reaches the backend as the type names their events may be stored under, a
 * superset: under a name an upcaster renames at some schema versions, a newer class may be stored too. The
 * subscription keeps only the events that read as one of the classes, and reads on, without waiting, past a
 * page it kept none of.
 */
final class StorageSubscription implements Subscription {

    /** The most events one read asks for while it finds only events of other classes. */
    private static final int MAX_READ_AHEAD = 1000;

    private final EventStorage storage;
    private final EventRecords records;
    private final @Nullable TenantId tenant;
    private final @Nullable String category;
    private final @Nullable Set<String> types;
    private final @Nullable Set<Class<?>> classes;
    private final boolean started;
    private long delivered;
    /** The position read up to: past {@link #delivered} when the events after it read as other classes. */
    private long read;
    private long head;
    private boolean closed;

    StorageSubscription(EventStorage storage, EventRecords records, @Nullable Position after, @Nullable TenantId tenant,
            @Nullable String category, @Nullable Set<String> types, @Nullable Set<Class<?>> classes) {
        this.storage = storage;
        this.records = records;
        this.tenant = tenant;
        this.category = category;
        this.types = types;
        this.classes = classes == null ? null : Set.copyOf(classes);
        this.started = after != null;
        this.delivered = after == null ? 0 : after.value();
        this.read = delivered;
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
        // beyond maxEvents when pages of other classes came back
        int readAhead = maxEvents;
        while (true) {
            LogPage page = storage.readLog(new LogQuery(read, readAhead, tenant, category, types));
            if (!page.records().isEmpty()) {
                List<RecordedEvent<?>> events = deliver(page.records(), maxEvents);
                if (!events.isEmpty()) {
                    return events;
                }
                // every event read was of another class: more of the log may hold some of ours, so read on
                // at once, and ask for more at a time while none turn up
                readAhead = Math.max(maxEvents, (int) Math.min(MAX_READ_AHEAD, 2L * readAhead));
                continue;
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
     * Turns the read records into events, at most {@code maxEvents}, leaving out those that read as classes
     * the subscription is not to. When one cannot be read (its type has no class, its JSON does not read as its
     * class), the ones before it are delivered and the subscription stays before it, so that the next poll
     * reports it, naming where it lies: a consumer then knows which position it failed on.
     */
    private List<RecordedEvent<?>> deliver(List<LogRecord> page, int maxEvents) {
        List<RecordedEvent<?>> events = new ArrayList<>(Math.min(page.size(), maxEvents));
        for (LogRecord record : page) {
            if (events.size() == maxEvents) {
                break;
            }
            @Nullable WrappedEvent<?> event;
            try {
                event = classes == null ? records.toEvent(record.streamId(), record.event())
                        : records.toEventOf(classes, record.streamId(), record.event());
            } catch (RuntimeException e) {
                if (events.isEmpty()) {
                    throw new UnreadableEventException(new Position(record.position()), record.tenantId(),
                            record.streamId(), record.event().type(), record.event().uuid(), e);
                }
                break;
            }
            read = record.position();
            if (event != null) {
                events.add(recorded(event, record));
                delivered = record.position();
            }
        }
        head = Math.max(head, read);
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

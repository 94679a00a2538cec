package dev.eventsourcery.eventstore.spring.projection;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.SubscriptionBuilder;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.UnreadableEventException;

/**
 * Runs one projection on a thread of its own while this instance holds its lease: reads the log after the
 * checkpoint and hands each batch to the handlers in a transaction that ends by moving the checkpoint with a
 * compare-and-set on the projection's row (still this instance's lease, still the checkpoint the batch follows,
 * still running; the lease renewed), which rolls the batch back when any of that changed meanwhile. A failed
 * batch is rolled back and its events handled one at a time, each failing one retried with back-off until the
 * projection gives up on it; between attempts the runner stops trying when the projection was paused, reset or
 * taken over. An event the log cannot turn into an object (its type has no class any more, its JSON no longer
 * reads as its class) fails the same way, after the events before it were handled: it is read again on each
 * attempt, then recorded as a dead letter or stops the projection, as its failure policy says.
 *
 * <h2>The lease</h2>
 * While it holds the lease, a {@link ProjectionLease} timer renews it every third of
 * {@code event-store.projections.lease-timeout}, on a connection of its own, also while a batch or the back-off
 * between two attempts runs: a batch slower than the time-out keeps it, and no other instance runs the projection
 * meanwhile. When renewing fails until the lease would end in less than a tenth of the time-out (the database
 * unreachable from this instance), the runner stops handing events to the handlers: before its next call of a
 * handler the batch under way throws and is rolled back (a handler call already running is not interrupted),
 * and the runner claims the lease again, as an instance without it does, before it handles anything more.
 *
 * <p>While it catches up (each poll fills a batch) a batch costs the log read, the handlers' statements, that
 * one update and the commit: the row and the log's head are read only when the runner starts over or a poll
 * comes back short, the compare-and-set noticing any pause, reset or take-over in between.
 */
final class ProjectionRunner implements Runnable {

    private static final Log logger = LogFactory.getLog(ProjectionRunner.class);

    private final ProjectionDefinition definition;
    private final EventStore store;
    private final ProjectionRows rows;
    private final TransactionTemplate transactions;
    private final ProjectionSettings settings;
    private final ProjectionObserver observer;
    private final int batchSize;
    private final int maxAttempts;
    private final Object wake = new Object();
    private volatile boolean running;
    private @Nullable Thread thread;
    private @Nullable Subscription subscription;
    private long checkpoint;
    /** The last poll came back short: the row and the head are read before the next. */
    private boolean caughtUp = true;
    private final ProjectionLease lease;

    ProjectionRunner(ProjectionDefinition definition, EventStore store, ProjectionRows rows,
            TransactionTemplate transactions, ProjectionSettings settings, ProjectionObserver observer) {
        this.definition = definition;
        this.store = store;
        this.rows = rows;
        this.transactions = transactions;
        this.settings = settings;
        this.observer = observer;
        Projection projection = definition.settings();
        this.batchSize = projection.batchSize() > 0 ? projection.batchSize() : settings.batchSize();
        this.maxAttempts = projection.maxAttempts() > 0 ? projection.maxAttempts() : settings.maxAttempts();
        this.lease = new ProjectionLease(rows, definition.name(), settings.instanceId(), settings.leaseTimeout());
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread started = new Thread(this, "projection-" + definition.name());
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    /** Stops after the current batch and gives the lease up. */
    void stop() {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = thread;
            thread = null;
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        if (stopping != null) {
            try {
                stopping.join(settings.pollTimeout().multipliedBy(2).plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isRunning() {
        return running;
    }

    @Override
    public void run() {
        lease.start();
        try {
            while (running) {
                try {
                    step();
                } catch (RuntimeException e) {
                    logger.warn("Projection '" + definition.name() + "' could not go on; trying again in "
                            + settings.initialBackOff(), e);
                    closeSubscription();
                    lease.lost();
                    pause(settings.initialBackOff());
                }
            }
        } finally {
            closeSubscription();
            lease.stop();
        }
    }

    private void step() {
        if (!lease.held() && !lease.claim()) {
            closeSubscription();
            pause(claimInterval());
            return;
        }
        if (subscription == null || caughtUp) {
            ProjectionRows.Row row = rows.find(definition.name()).orElseThrow(() -> new IllegalStateException(
                    "The row of projection '" + definition.name() + "' is gone"));
            if (row.state() != ProjectionState.RUNNING) {
                closeSubscription();
                pause(settings.pollTimeout());
                return;
            }
            if (subscription == null || checkpoint != row.position()) {
                open(row.position());
            }
        }
        // read before the poll: every event up to it that the projection reads is then in the poll's answer
        long head = caughtUp ? store.position().map(Position::value).orElse(0L) : 0L;
        List<RecordedEvent<?>> events;
        try {
            events = subscription().poll(batchSize, settings.pollTimeout());
        } catch (UnreadableEventException e) {
            // the subscription stays before the event; the next step opens one at the checkpoint it then has
            closeSubscription();
            handleUnreadable(e);
            return;
        }
        caughtUp = events.size() < batchSize;
        if (events.isEmpty()) {
            if (head > checkpoint) {
                // nothing the projection reads lies up to the head seen before the poll: move past it
                skipTo(head);
            }
            return;
        }
        handleBatch(events);
    }

    private void handleBatch(List<RecordedEvent<?>> events) {
        long started = System.nanoTime();
        try {
            inTransaction(events, null);
            observer.batchHandled(definition.name(), events.size(), System.nanoTime() - started);
            return;
        } catch (CheckpointMoved e) {
            closeSubscription();
            return;
        } catch (RuntimeException e) {
            logger.debug("Projection '" + definition.name() + "' rolled a batch of " + events.size()
                    + " events back; handling them one at a time", e);
        }
        for (RecordedEvent<?> event : events) {
            if (!running || !handleWithRetries(event)) {
                closeSubscription();
                return;
            }
        }
    }

    /** Handles one event, trying again with back-off; false when the projection stopped on it. */
    private boolean handleWithRetries(RecordedEvent<?> event) {
        Failing failing = new Failing(event.position().value(), event.tenantId(), event.streamId().toString(),
                event.wrappedEvent().uuid(), event.event().getClass().getName());
        return handleWithRetries(failing, () -> {
            inTransaction(List.of(event), null);
            return 1;
        }, null);
    }

    /**
     * An event the subscription cannot turn into an object goes through the failure policy as one the handlers
     * fail on: each attempt reads it again (its class may be back), and after the last it becomes a dead letter
     * or stops the projection. One of a tenant the projection does not take is moved past: no handler would see
     * it.
     */
    private void handleUnreadable(UnreadableEventException unreadable) {
        long position = unreadable.position().value();
        if (!definition.takes(unreadable.tenantId())) {
            skipTo(position);
            return;
        }
        // a warning, unlike a handler's failed attempt: it names the event when the projection retries without
        // limit (the outbox) and logs nothing more until the event reads
        logger.warn("Projection '" + definition.name() + "' cannot read the event at position " + position
                + "; it tries " + (maxAttempts == Integer.MAX_VALUE ? "again without limit"
                        : maxAttempts + " times in all, then " + (definition.settings().onFailure()
                                == FailurePolicy.DEAD_LETTER ? "records it as a dead letter" : "stops")), unreadable);
        Failing failing = new Failing(position, unreadable.tenantId(), unreadable.streamId().toString(),
                unreadable.eventId(), unreadable.eventType());
        handleWithRetries(failing, () -> readAgain(position), unreadable);
    }

    /**
     * Another attempt at an event that could not be read: reads it again and, when it now reads, hands it to the
     * handlers; how many events it handled (none when it is gone with its stream).
     *
     * @throws UnreadableEventException when it still cannot be read
     */
    private int readAgain(long position) {
        try (Subscription reading = subscribeAfter(checkpoint)) {
            List<RecordedEvent<?>> read = reading.poll(1, Duration.ZERO);
            if (read.isEmpty() || read.get(0).position().value() != position) {
                return 0;
            }
            inTransaction(read, null);
            return 1;
        }
    }

    /**
     * Makes attempts at an event until one succeeds, with back-off, {@code maxAttempts} in all (the first already
     * failed with {@code failedFirst} when given); then records it as a dead letter or stops the projection, as
     * its failure policy says. False when the projection stopped on it, or no longer may handle it.
     *
     * @param attempt hands the event to the handlers in a transaction that moves the checkpoint past it; returns
     *     how many events it handled
     */
    private boolean handleWithRetries(Failing event, IntSupplier attempt,
            @Nullable RuntimeException failedFirst) {
        BackOffExecution backOff = backOff().start();
        RuntimeException failure = null;
        for (int attempts = 1; attempts <= maxAttempts; attempts++) {
            if (attempts > 1) {
                pause(Duration.ofMillis(backOff.nextBackOff()));
                if (!running || !keepsHold()) {
                    return false;
                }
            }
            long started = System.nanoTime();
            try {
                if (attempts == 1 && failedFirst != null) {
                    throw failedFirst;
                }
                int handled = attempt.getAsInt();
                observer.batchHandled(definition.name(), handled, System.nanoTime() - started);
                return true;
            } catch (CheckpointMoved e) {
                return false;
            } catch (RuntimeException e) {
                failure = e;
                observer.failed(definition.name());
                if (attempts < maxAttempts) {
                    logger.debug("Projection '" + definition.name() + "' failed on the event at position "
                            + event.position() + " (attempt " + attempts + " of " + maxAttempts + ")", e);
                }
            }
        }
        String error = describe(failure);
        if (definition.settings().onFailure() == FailurePolicy.DEAD_LETTER) {
            logger.warn("Projection '" + definition.name() + "' gave up on the event at position "
                    + event.position() + " after " + maxAttempts + " attempts and recorded it as a dead "
                    + "letter", failure);
            try {
                inTransaction(List.of(), () -> rows.deadLetter(definition.name(), event.position(), event.tenantId(),
                        event.stream(), event.eventId(), event.type(), error, maxAttempts, Instant.now()),
                        event.position());
                return true;
            } catch (CheckpointMoved e) {
                return false;
            }
        }
        logger.error("Projection '" + definition.name() + "' stopped on the event at position "
                + event.position() + " after " + maxAttempts + " attempts; resume or reset it once the "
                + "cause is fixed", failure);
        if (!rows.fail(definition.name(), settings.instanceId(), checkpoint, event.position(), error)) {
            lostHold();
        }
        return false;
    }

    /**
     * Between two attempts at a failing event: renews the lease (the timer renews it during the back-off too) and
     * reads the row. False when the projection was taken over, paused, reset or stopped meanwhile, so that it
     * does not try again an event that is no longer its to handle.
     */
    private boolean keepsHold() {
        if (!lease.claim()) {
            return false;
        }
        ProjectionRows.Row row = rows.find(definition.name()).orElse(null);
        return row != null && row.state() == ProjectionState.RUNNING && row.position() == checkpoint;
    }

    private void inTransaction(List<RecordedEvent<?>> events, @Nullable Runnable instead) {
        long target = events.isEmpty() ? checkpoint : events.get(events.size() - 1).position().value();
        observer.batch(definition.name(), events.size(), () -> inTransaction(events, instead, target));
    }

    /**
     * In one transaction: hands the events to the handlers (or runs {@code instead}) and moves the checkpoint to
     * {@code target}, from the one they follow.
     */
    private void inTransaction(List<RecordedEvent<?>> events, @Nullable Runnable instead, long target) {
        transactions.executeWithoutResult(status -> {
            if (instead != null) {
                instead.run();
            }
            definition.handle(events, this::checkLease);
            advance(target);
        });
        checkpoint = target;
    }

    /**
     * Before each call of a handler: a lease that could not be renewed in time stops the batch, which rolls back,
     * before another instance may take the projection over.
     */
    private void checkLease() {
        if (!lease.held()) {
            throw new CheckpointMoved("Projection '" + definition.name() + "' could not renew its lease in time");
        }
    }

    /** Moves the checkpoint past events the projection does not read. */
    private void skipTo(long head) {
        try {
            advance(head);
            checkpoint = head;
        } catch (CheckpointMoved e) {
            closeSubscription();
        }
    }

    /** Moves the checkpoint; throws {@link CheckpointMoved} when the row no longer lets this runner do it. */
    private void advance(long target) {
        if (!rows.advance(definition.name(), settings.instanceId(), checkpoint, target,
                leaseEnd(System.currentTimeMillis()))) {
            lostHold();
            throw new CheckpointMoved("Projection '" + definition.name() + "' was reset, paused, stopped or taken "
                    + "over");
        }
    }

    /** The row changed under this runner: claim the lease again and read the row before the next batch. */
    private void lostHold() {
        lease.lost();
    }

    private void open(long position) {
        closeSubscription();
        subscription = subscribeAfter(position);
        checkpoint = position;
    }

    /** A subscription to the events the projection reads after {@code position}. */
    private Subscription subscribeAfter(long position) {
        SubscriptionBuilder builder = store.subscribe().inAllTenants();
        if (position > 0) {
            builder.after(new Position(position));
        }
        if (definition.category() != null) {
            builder.toCategory(definition.category());
        }
        Class<?>[] classes = definition.eventClasses();
        if (classes != null) {
            builder.toEvents(classes);
        }
        return builder.build();
    }

    private Subscription subscription() {
        Subscription open = subscription;
        if (open == null) {
            throw new IllegalStateException("Projection '" + definition.name() + "' has no subscription");
        }
        return open;
    }

    private void closeSubscription() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    private ExponentialBackOff backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(settings.initialBackOff().toMillis(),
                settings.backOffMultiplier());
        backOff.setMaxInterval(settings.maxBackOff().toMillis());
        return backOff;
    }

    private long leaseEnd(long now) {
        return now + settings.leaseTimeout().toMillis();
    }

    /** How often an instance without the lease tries to take it: a tenth of the lease time-out. */
    private Duration claimInterval() {
        return settings.leaseTimeout().dividedBy(10);
    }

    /** Waits, returning early when the runner is stopped. */
    private void pause(Duration duration) {
        synchronized (wake) {
            if (!running) {
                return;
            }
            try {
                wake.wait(Math.max(1, duration.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private static String describe(@Nullable Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    /** Where an event the handlers keep failing on lies, for its dead letter or the projection's failure. */
    private record Failing(long position, TenantId tenantId, String stream, UUID eventId, String type) {
    }

    /** The batch must not go on: the lease was lost, or the row was reset, paused or stopped meanwhile. */
    private static final class CheckpointMoved extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CheckpointMoved(String message) {
            super(message, null, false, false);
        }
    }
}

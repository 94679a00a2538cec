package dev.eventsourcery.eventstore.spring.projection;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

/**
 * Runs one projection on a thread of its own while this instance holds its lease: reads the log after the
 * checkpoint and hands each batch to the handlers in a transaction that ends by moving the checkpoint with a
 * compare-and-set on the projection's row (still this instance's lease, still the checkpoint the batch follows,
 * still running; the lease renewed), which rolls the batch back when any of that changed meanwhile. A failed
 * batch is rolled back and its events handled one at a time, each failing one retried with back-off until the
 * projection gives up on it; between attempts the runner stops trying when the projection was paused, reset or
 * taken over.
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
        List<RecordedEvent<?>> events = subscription().poll(batchSize, settings.pollTimeout());
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
        BackOffExecution backOff = backOff().start();
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long started = System.nanoTime();
            try {
                inTransaction(List.of(event), null);
                observer.batchHandled(definition.name(), 1, System.nanoTime() - started);
                return true;
            } catch (CheckpointMoved e) {
                return false;
            } catch (RuntimeException e) {
                failure = e;
                observer.failed(definition.name());
                if (attempt < maxAttempts) {
                    logger.debug("Projection '" + definition.name() + "' failed on the event at position "
                            + event.position().value() + " (attempt " + attempt + " of " + maxAttempts + ")", e);
                    pause(Duration.ofMillis(backOff.nextBackOff()));
                    if (!running || !keepsHold()) {
                        return false;
                    }
                }
            }
        }
        String error = describe(failure);
        if (definition.settings().onFailure() == FailurePolicy.DEAD_LETTER) {
            logger.warn("Projection '" + definition.name() + "' gave up on the event at position "
                    + event.position().value() + " after " + maxAttempts + " attempts and recorded it as a dead "
                    + "letter", failure);
            try {
                inTransaction(List.of(), () -> rows.deadLetter(definition.name(), event,
                        event.event().getClass().getName(), error, maxAttempts, Instant.now()), event);
                return true;
            } catch (CheckpointMoved e) {
                return false;
            }
        }
        logger.error("Projection '" + definition.name() + "' stopped on the event at position "
                + event.position().value() + " after " + maxAttempts + " attempts; resume or reset it once the "
                + "cause is fixed", failure);
        if (!rows.fail(definition.name(), settings.instanceId(), checkpoint, event.position().value(), error)) {
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
        observer.batch(definition.name(), events.size(),
                () -> inTransaction(events, instead, events.isEmpty() ? null : events.get(events.size() - 1)));
    }

    /**
     * In one transaction: hands the events to the handlers (or runs {@code instead}) and moves the checkpoint to
     * the last one, from the one they follow.
     */
    private void inTransaction(List<RecordedEvent<?>> events, @Nullable Runnable instead,
            @Nullable RecordedEvent<?> last) {
        long target = last == null ? checkpoint : last.position().value();
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
        subscription = builder.build();
        checkpoint = position;
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

    /** The batch must not go on: the lease was lost, or the row was reset, paused or stopped meanwhile. */
    private static final class CheckpointMoved extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CheckpointMoved(String message) {
            super(message, null, false, false);
        }
    }
}

package dev.eventsourcery.eventstore.spring.projection;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * This instance's lease on one projection: claimed by its runner, then renewed by a timer of its own every third
 * of the lease time-out, each time on a connection of its own (outside the batch's transaction), so that a batch
 * or a back-off that lasts longer than the time-out keeps it and no other instance takes the projection over
 * meanwhile. It is {@linkplain #held() held} only while the last renewal that succeeded leaves more than a tenth
 * of the time-out: when renewing fails (the database unreachable from this instance), the runner learns it
 * before another instance can take the lease, and stops handing events to the handlers.
 */
final class ProjectionLease {

    private static final Log logger = LogFactory.getLog(ProjectionLease.class);

    private final ProjectionRows rows;
    private final String name;
    private final String owner;
    private final long timeout;
    private @Nullable ScheduledExecutorService timer;
    /** When the lease ends, by this instance's clock, as of the last claim or renewal that succeeded; 0: not held. */
    private volatile long heldUntil;
    private volatile boolean claimedOnce;
    private volatile boolean renewalFailing;

    ProjectionLease(ProjectionRows rows, String name, String owner, Duration timeout) {
        this.rows = rows;
        this.name = name;
        this.owner = owner;
        this.timeout = timeout.toMillis();
    }

    /** Starts the timer that renews the lease while it is held. */
    synchronized void start() {
        if (timer != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "projection-" + name + "-lease");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, timeout / 3);
        started.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
        timer = started;
    }

    /** Stops renewing and gives the lease up, when this instance may hold it. */
    void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = timer;
            timer = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                // a renewal under way must not land after the release
                stopping.awaitTermination(timeout, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        heldUntil = 0;
        if (claimedOnce) {
            try {
                rows.release(name, owner);
            } catch (RuntimeException e) {
                logger.warn("Projection '" + name + "' could not give its lease up; another instance takes it over "
                        + "after " + Duration.ofMillis(timeout), e);
            }
        }
    }

    /**
     * Takes the lease, or renews it, on the runner's thread: succeeds when nobody holds it, this instance does,
     * or the holder's lease ran out.
     */
    boolean claim() {
        boolean wasHeld = heldUntil != 0;
        long now = System.currentTimeMillis();
        boolean claimed = rows.claim(name, owner, now, now + timeout);
        heldUntil = claimed ? now + timeout : 0;
        if (claimed) {
            claimedOnce = true;
            if (!wasHeld) {
                logger.info("Projection '" + name + "' runs on instance " + owner);
            }
        }
        return claimed;
    }

    /**
     * Whether this instance holds the lease for sure: it was claimed, and renewed recently enough that it lasts
     * a tenth of the time-out longer, a margin for a handler call under way and for the instances' clocks.
     */
    boolean held() {
        long until = heldUntil;
        return until != 0 && System.currentTimeMillis() < until - timeout / 10;
    }

    /** The row showed another owner, or changed under the runner: it claims the lease again before going on. */
    void lost() {
        heldUntil = 0;
    }

    /** On the timer: renews the lease while it is held; another owner on the row means it was taken over. */
    private void renew() {
        if (heldUntil == 0) {
            return;
        }
        // the end is counted from before the statement, so that this instance never thinks it holds the lease
        // longer than the row says
        long now = System.currentTimeMillis();
        try {
            if (rows.renew(name, owner, now + timeout)) {
                heldUntil = now + timeout;
            } else {
                heldUntil = 0;
                logger.info("Projection '" + name + "' was taken over by another instance");
            }
            if (renewalFailing) {
                renewalFailing = false;
                logger.info("Projection '" + name + "' renews its lease again");
            }
        } catch (RuntimeException e) {
            if (!renewalFailing) {
                renewalFailing = true;
                logger.warn("Projection '" + name + "' could not renew its lease; it stops handing events to its "
                        + "handlers when the lease would end in less than " + Duration.ofMillis(timeout / 10), e);
            }
        }
    }
}

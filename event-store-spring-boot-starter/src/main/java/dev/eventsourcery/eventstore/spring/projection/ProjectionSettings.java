package dev.eventsourcery.eventstore.spring.projection;

import java.time.Duration;
import java.util.Objects;

/**
 * How the starter runs projections; {@code event-store.projections.*} in a Spring Boot application.
 *
 * @param instanceId this application instance's name in the projections' leases, unique among the instances
 * @param batchSize the most events handled in one transaction, unless a projection says otherwise
 * @param maxAttempts how many times an event is handled before a projection gives up on it, unless it says
 *     otherwise
 * @param initialBackOff the wait before the second attempt
 * @param backOffMultiplier how much longer each following wait is
 * @param maxBackOff the longest wait between attempts
 * @param leaseTimeout how long a lease lasts unless renewed: an instance that dies is replaced by another
 *     within about this time (one that stops gives its leases up at once)
 * @param pollTimeout the longest a running projection waits for new events before it looks at its row again
 *     (for a pause, a reset, or to renew its lease)
 * @param lagThreshold the lag, in events, beyond which health reports a projection as lagging
 */
public record ProjectionSettings(String instanceId, int batchSize, int maxAttempts, Duration initialBackOff,
        double backOffMultiplier, Duration maxBackOff, Duration leaseTimeout, Duration pollTimeout,
        long lagThreshold) {

    /** Checks the settings. */
    public ProjectionSettings {
        Objects.requireNonNull(instanceId, "instanceId");
        if (instanceId.isBlank() || instanceId.length() > 255) {
            throw new IllegalArgumentException("A projection instance id needs 1 to 255 characters, got '"
                    + instanceId + "'");
        }
        if (batchSize < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("Projection batch size and attempts must be positive, got "
                    + batchSize + " and " + maxAttempts);
        }
        if (backOffMultiplier < 1) {
            throw new IllegalArgumentException("The projection back-off multiplier must be 1 or more, got "
                    + backOffMultiplier);
        }
        for (Duration duration : new Duration[] {initialBackOff, maxBackOff, leaseTimeout, pollTimeout}) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("Projection durations must be positive, got " + duration);
            }
        }
        if (pollTimeout.compareTo(leaseTimeout.dividedBy(3)) > 0) {
            throw new IllegalArgumentException("The projection poll timeout (" + pollTimeout + ") must be at most "
                    + "a third of the lease timeout (" + leaseTimeout + "), so that leases are renewed in time");
        }
    }
}

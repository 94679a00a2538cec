package dev.eventsourcery.eventstore.jpa;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hears on PostgreSQL that the log moved ({@code LISTEN es_log}; the sequencers of every instance notify
 * with the new head when they commit a numbering), so that readers waiting in this process wake at once
 * rather than at their next poll. It holds one connection of the pool while readers wait, and gives it
 * back when none has waited for a while.
 */
final class PostgresNotifications implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(PostgresNotifications.class.getName());

    private static final Duration IDLE = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final LogHead head;
    private final Duration pollInterval;
    private boolean closed;
    private Thread thread;

    PostgresNotifications(DataSource dataSource, LogHead head, Duration pollInterval) {
        this.dataSource = dataSource;
        this.head = head;
        this.pollInterval = pollInterval;
    }

    /** A reader waits: listen, if not listening already. */
    synchronized void watch() {
        if (thread == null && !closed) {
            thread = new Thread(this::run, "event-store-log-listener");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        long idleSince = System.nanoTime();
        while (!stopped(idleSince)) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement listen = connection.createStatement()) {
                    listen.execute("listen " + LogRows.CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (!stopped(idleSince)) {
                    PGNotification[] received = notifications.getNotifications((int) Math.max(1, pollInterval.toMillis()));
                    if (received != null) {
                        for (PGNotification notification : received) {
                            head.advance(Long.parseLong(notification.getParameter()));
                        }
                    }
                    if (head.watched()) {
                        idleSince = System.nanoTime();
                    }
                }
                try (Statement unlisten = connection.createStatement()) {
                    unlisten.execute("unlisten " + LogRows.CHANNEL);
                }
            } catch (SQLException | RuntimeException e) {
                LOGGER.log(Level.WARNING, "Listening for the log's notifications failed; waiting readers poll every "
                        + pollInterval + " meanwhile", e);
                sleep(pollInterval);
            }
        }
    }

    private synchronized boolean stopped(long idleSince) {
        if (closed || (!head.watched() && System.nanoTime() - idleSince > IDLE.toNanos())) {
            thread = null;
            return true;
        }
        return false;
    }

    /** Stops listening, waiting for the listening thread to give its connection back. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        LogSequencer.join(running);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

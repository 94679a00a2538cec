package dev.eventsourcery.eventstore.jpa;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

/**
 * Gives committed events their positions in the log, in commit order: a numbering pass, in a short
 * transaction of its own, locks the log's head row (so the passes of every instance sharing the database
 * run one after the other), takes the committed events still pending, oldest first, and numbers them
 * after the head. An event committed later is numbered by a later pass, after every position given
 * before: once a reader has seen a position, nothing below it can appear. A transaction that stays open
 * holds up nobody: its events are not yet visible to the pass, and are numbered after it commits.
 *
 * <p>A pass runs at once when an append of this process commits, on a thread of the sequencer's own that
 * coalesces the wake-ups of concurrent appends; while readers wait, also every poll interval, which
 * numbers the events of an instance that stopped before its own pass and notices events numbered
 * elsewhere. The thread ends after a while without work and starts again on demand. {@link #catchUp()}
 * runs a pass on the calling thread.
 */
final class LogSequencer implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(LogSequencer.class.getName());

    /** Events numbered per transaction. */
    private static final int BATCH = 1000;

    /** How long the thread waits without work before it ends. */
    private static final Duration IDLE = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final DatabasePlatform platform;
    private final LogRows rows;
    private final LogHead head;
    private final Duration pollInterval;
    private final Object numbering = new Object();
    private final Object signal = new Object();
    private boolean woken;
    private boolean closed;
    private Thread thread;

    LogSequencer(DataSource dataSource, DatabasePlatform platform, LogRows rows, LogHead head, Duration pollInterval) {
        this.dataSource = dataSource;
        this.platform = platform;
        this.rows = rows;
        this.head = head;
        this.pollInterval = pollInterval;
    }

    /** Appends of this process committed: number their events soon. */
    void wake() {
        synchronized (signal) {
            woken = true;
            startIfStopped();
            signal.notifyAll();
        }
    }

    /** A reader waits: keep polling the database for events while it does. */
    void watch() {
        synchronized (signal) {
            startIfStopped();
            signal.notifyAll();
        }
    }

    /**
     * Numbers every committed event still pending, on the calling thread, and returns the head.
     *
     * @throws SQLException when the database fails
     */
    long catchUp() throws SQLException {
        synchronized (numbering) {
            long reached = -1;
            while (true) {
                long numbered = pass();
                if (numbered < 0) {
                    return reached;
                }
                reached = numbered;
                head.advance(numbered);
            }
        }
    }

    /** One numbering transaction: the new head, or {@code -1} when no committed event was pending. */
    private long pass() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            // sees every committed event, and waits for no uncommitted one (MariaDB defaults to repeatable read)
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                // a look without the lock first, so that an idle store takes no lock
                if (!rows.anyPending(connection)) {
                    connection.commit();
                    return -1;
                }
                long position = rows.lockHead(connection);
                // read again under the lock: what another instance numbered meanwhile is no longer pending
                List<LogRows.Pending> pending = rows.pending(connection, BATCH);
                if (pending.isEmpty()) {
                    connection.commit();
                    return position;
                }
                List<Long> seqs = new ArrayList<>(pending.size());
                pending.forEach(event -> seqs.add(event.seq()));
                Set<Long> claimed = rows.claim(connection, seqs);
                List<LogRows.Pending> numbered = pending.stream().filter(event -> claimed.contains(event.seq())).toList();
                if (!numbered.isEmpty()) {
                    rows.number(connection, position, numbered);
                    position += numbered.size();
                    rows.setHead(connection, position);
                    if (platform == DatabasePlatform.POSTGRESQL) {
                        rows.notifyListeners(connection, position);
                    }
                }
                connection.commit();
                return position;
            } catch (SQLException | RuntimeException e) {
                rollBack(connection, e);
                throw e;
            }
        }
    }

    /** Reads the head another instance's sequencer may have moved, and tells the waiting readers. */
    void refreshHead() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            head.advance(rows.head(connection));
        }
    }

    private void startIfStopped() {
        if (thread == null && !closed) {
            thread = new Thread(this::run, "event-store-log-sequencer");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        long idleSince = System.nanoTime();
        while (true) {
            boolean wokenByAppend;
            boolean watched;
            synchronized (signal) {
                if (closed) {
                    thread = null;
                    return;
                }
                watched = head.watched();
                if (!woken) {
                    try {
                        signal.wait(watched ? pollInterval.toMillis() : IDLE.toMillis());
                    } catch (InterruptedException e) {
                        thread = null;
                        return;
                    }
                }
                wokenByAppend = woken;
                woken = false;
                watched = head.watched();
                if (!wokenByAppend && !watched && System.nanoTime() - idleSince > IDLE.toNanos()) {
                    thread = null;
                    return;
                }
            }
            if (!wokenByAppend && !watched) {
                continue;
            }
            idleSince = System.nanoTime();
            try {
                catchUp();
                if (watched) {
                    refreshHead();
                }
            } catch (SQLException | RuntimeException e) {
                LOGGER.log(Level.WARNING, "Numbering events of the log failed; trying again in " + pollInterval, e);
                sleep(pollInterval);
                wake();
            }
        }
    }

    /** Stops the thread, waiting for a numbering pass under way to end. */
    @Override
    public void close() {
        Thread running;
        synchronized (signal) {
            closed = true;
            running = thread;
            signal.notifyAll();
        }
        join(running);
    }

    static void join(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rollBack(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            failure.addSuppressed(rollback);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

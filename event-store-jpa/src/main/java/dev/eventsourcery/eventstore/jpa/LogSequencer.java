package dev.eventsourcery.eventstore.jpa;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Gives committed events their positions in the log, in commit order: a numbering pass, in a short
 * transaction of its own, locks the log's head row (so the passes of every instance sharing the database
 * run one after the other), takes every committed event still pending and numbers them after the head. An
 * event committed later is numbered by a later pass, after every position given before: once a reader has
 * seen a position, nothing below it can appear. A transaction that stays open holds up nobody: its events
 * are not yet visible to the pass, and are numbered after it commits.
 *
 * <p>Nothing a caller's transaction does can make a pass wait: a pass reads events and streams without
 * locks, and writes only rows that no caller's statement touches (the head, the log, pending rows that
 * have committed, the records of deleted events). A delete of a stream records its events in
 * {@code es_deleted} instead of removing their log rows itself, and the next pass removes them.
 *
 * <p>Within a stream, positions follow versions by construction, not by the order in which the database
 * handed out event ids: a pass takes <em>every</em> committed pending event, so it holds each stream's
 * pending events in full (a stream's events commit in version order), and orders each stream's events by
 * version among the places its events take in the pass ({@link LogOrder}).
 *
 * <p>A pass runs at once when an append of this process commits, on a thread of the sequencer's own that
 * coalesces the wake-ups of concurrent appends; while readers wait, also every poll interval, which
 * numbers the events of an instance that stopped before its own pass and notices events numbered
 * elsewhere. The thread ends after a while without work and starts again on demand. {@link #catchUp()}
 * numbers every event committed before it was called.
 */
final class LogSequencer implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(LogSequencer.class.getName());

    /** How long the thread waits without work before it ends. */
    private static final Duration IDLE = Duration.ofSeconds(10);

    /**
     * How long the thread lets commits gather after a pass that numbered events, before the next: under a
     * steady stream of appends a pass then numbers many events at once instead of a few, for the same round
     * trips. After an idle spell the first pass runs at once.
     */
    private static final Duration GATHER = Duration.ofMillis(20);

    private final DataSource dataSource;
    private final DatabasePlatform platform;
    private final LogRows rows;
    private final LogHead head;
    private final Duration pollInterval;
    private final Object numbering = new Object();
    /** Passes begun in this process, counted under {@link #numbering}. */
    private volatile long passesBegun;
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
     * Numbers every event committed before the call: runs a pass on the calling thread, unless a pass of this
     * process began after the call and has ended meanwhile. One pass suffices, as a pass takes every committed
     * pending event; it waits only for a pass under way (here or in another instance), never for a caller's
     * transaction.
     *
     * @throws SQLException when the database fails
     */
    void catchUp() throws SQLException {
        long begun = passesBegun;
        synchronized (numbering) {
            if (passesBegun == begun) {
                pass();
            }
        }
    }

    /** One numbering transaction: how many events it numbered (none when no committed event was pending). */
    private int pass() throws SQLException {
        synchronized (numbering) {
            passesBegun++;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                // sees every committed event, and waits for no uncommitted one (MariaDB defaults to repeatable read)
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                try {
                    Numbered numbered = number(connection);
                    connection.commit();
                    if (numbered.events() > 0) {
                        head.advance(numbered.head());
                    }
                    return numbered.events();
                } catch (SQLException | RuntimeException e) {
                    rollBack(connection, e);
                    throw e;
                }
            }
        }
    }

    /** What a numbering transaction did: how many events it numbered, and the head it moved the log to. */
    private record Numbered(int events, long head) {
        static final Numbered NONE = new Numbered(0, 0);
    }

    private Numbered number(Connection connection) throws SQLException {
        // a look without the lock first, so that an idle store takes no lock
        LogRows.Work work = rows.work(connection);
        if (!work.any()) {
            return Numbered.NONE;
        }
        rows.lookUpByKeys(connection);
        long position = rows.lockHead(connection);
        // read under the lock: what another instance numbered or removed meanwhile is no longer there; a delete
        // that committed after the look is taken out of the log by the next pass
        if (work.deleted()) {
            rows.removeDeleted(connection);
        }
        LogRows.PendingEvents pending = rows.pending(connection);
        if (!pending.gone().isEmpty()) {
            rows.take(connection, pending.gone());
        }
        if (pending.events().isEmpty()) {
            return Numbered.NONE;
        }
        List<LogRows.Pending> numbered = LogOrder.of(pending.events());
        List<Long> seqs = new ArrayList<>(numbered.size());
        numbered.forEach(event -> seqs.add(event.seq()));
        rows.take(connection, seqs);
        rows.number(connection, position, numbered);
        long head = position + numbered.size();
        rows.setHead(connection, head);
        if (platform == DatabasePlatform.POSTGRESQL) {
            rows.notifyListeners(connection, head);
        }
        return new Numbered(numbered.size(), head);
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
                boolean numbered = pass() > 0;
                if (watched) {
                    refreshHead();
                }
                if (numbered) {
                    sleep(GATHER);
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

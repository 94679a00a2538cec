package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.jspecify.annotations.Nullable;
import org.springframework.orm.jpa.EntityManagerFactoryInfo;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.storage.Admission;
import dev.eventsourcery.eventstore.storage.EventRecord;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.LogPage;
import dev.eventsourcery.eventstore.storage.LogQuery;
import dev.eventsourcery.eventstore.storage.StreamSlice;
import dev.eventsourcery.eventstore.storage.StreamState;
import dev.eventsourcery.eventstore.storage.TransientStreamWriteException;

/**
 * Keeps the event store in the application's relational database, in the tables its persistence unit
 * maps ({@link #entityClassNames()}), inside the application's transactions.
 *
 * <p>It composes one class per job: {@link StoreTransactions} joins the caller's transaction (or runs one
 * of its own) on the transaction's JDBC connection; {@link StreamRows}, {@link EventRows} and
 * {@link SnapshotRows} hold the statements per table, sent as plain JDBC so that no call flushes, or even
 * touches, the caller's persistence context; {@link DatabaseErrors} turns what the database reports into
 * the store's exceptions; {@link WriteRetries} decides when a write runs again.
 *
 * <h2>Concurrency</h2>
 * The stream row holds the stream version. An append with an expected version first advances it with a
 * compare-and-set ({@code update … where version = :expected}), or creates the row for a new stream,
 * before anything irreversible happens; {@link Versioning#ANY} and {@link Versioning#NO_VERSIONING} lock
 * the row, creating it first when it does not exist, so concurrent first appends to a new stream all
 * succeed. Unique constraints on (stream, version) and on the event id back this up in the database.
 * Every write of a stream (append, snapshot, delete) locks the stream row first, so writers of one stream
 * queue on that row rather than deadlock.
 *
 * <h2>Failures</h2>
 * No JDBC, JPA or Spring exception reaches the caller from the store's own statements: an event id already
 * stored is a {@code DuplicateEventException}, a lost compare-and-set a
 * {@link ConcurrentStreamWriteException}, a deadlock or lock timeout a
 * {@link dev.eventsourcery.eventstore.storage.TransientStreamWriteException} (run again up to
 * {@value WriteRetries#MAX_ATTEMPTS} times in a transaction of the store's own, never in a caller's), and a
 * dropped connection an {@link EventStoreException} saying so. A failure of the caller's own writes is
 * never one of these: the store does not flush them, so they reach the caller at its flush or commit as
 * what they are. A connection lost during the commit leaves it unknown whether an append was stored;
 * retrying it with the same events and the same expected version is safe (see {@link StreamState}).
 *
 * <h2>The log</h2>
 * Positions are given after commit, in commit order, by a post-commit sequencer ({@link LogSequencer}):
 * an append records its events as pending ({@code es_pending}) in the same statement that inserts them; a
 * numbering pass, in a short transaction of its own, locks the one row of {@code es_log_head}, takes the
 * committed pending events (an uncommitted one is invisible to it and holds nobody up) and gives them the
 * next positions in {@code es_log}. Passes of every instance sharing the database run one after the other
 * on that lock, and each numbers only events already committed, above every position given before: so once
 * a reader has seen a position, no lower one can appear, and a transaction held open for minutes is
 * numbered when it commits, after everything that committed meanwhile. Nothing depends on time-outs.
 * Positions are never reused: the head row keeps the highest ever given, whatever is deleted.
 *
 * <p>No caller's transaction can hold the log up, at any isolation level: a pass reads without locks and
 * writes only rows no caller's statement touches. A delete of a stream removes the stream's rows and records
 * the events it deleted in {@code es_deleted} (in the statement that deletes them, so exactly those, also
 * ones committed after the transaction's snapshot); the next pass after its commit removes them from the log.
 * Within a stream, positions follow versions because a pass takes every committed pending event and orders
 * each stream's by version ({@link LogOrder}), not because of the order the database hands out event ids.
 *
 * <p>Why this mechanism: positions drawn from a sequence inside the appending transaction become visible
 * in commit order, not in position order, so a reader that moves past a gap loses the event that commits
 * into it later; detecting gaps with time-outs (Axon's gap-aware token, Marten's high-water mark) still
 * skips an event that commits after the time-out; a counter row updated last in every append serialises
 * all appends of the database on one row lock until their commit; PostgreSQL's transaction ids order
 * events exactly but need the same numbering step to give one {@code long}, and exist on one database
 * only. The sequencer costs one narrow insert per event on the append path ({@code es_pending}) and, off
 * it, a delete and a narrow insert per event, batched, in the sequencer's transactions. Measured before
 * choosing, with the scripts in the benchmark module's {@code pgbench/log-choice} (PostgreSQL 15, 4 clients,
 * 2 cores, a numbering pass every 50 ms beside the appends): numbering in place with an {@code update} of
 * {@code es_event} left the appends about two thirds of their speed without numbering; the narrow pending
 * and log tables left them 83–97% of it.
 *
 * <p>The sequencer runs on a thread of its own, woken when an append of this process commits (many
 * concurrent commits are numbered in one pass), and, while readers wait, every poll interval, which also
 * numbers the events of an instance that stopped before its pass. Readers waiting in this process wake
 * when it numbers events; on PostgreSQL the sequencer also sends {@code NOTIFY es_log}, which wakes readers
 * in every instance ({@link PostgresNotifications}); elsewhere they look every poll interval.
 * {@link #position()} runs a pass first (one pass numbers everything committed before it began), so a
 * thread sees its own appends; it waits for no caller's transaction, only for a pass under way. Log
 * reads run on a connection of their own in autocommit mode, so only committed events are read, and no
 * connection or transaction is held between reads.
 */
public final class JpaEventStorage implements EventStorage, AutoCloseable {

    /** The most events an append writes with one statement; more go in batches, in a transaction. */
    static final int MOST_EVENTS_IN_ONE_STATEMENT = 1000;

    /** How often waiting readers look for events of other instances by default. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

    private final DataSource dataSource;
    private final PlatformTransactionManager transactionManager;
    private final StoreTransactions transactions;
    private final DatabasePlatform platform;
    private final DatabaseErrors errors;
    private final StreamRows streams;
    private final EventRows events;
    private final SnapshotRows snapshots;
    private final AppendStatement appendStatement;
    private final LogRows log;
    private final StreamIdentities identities;
    private final LogHead head = new LogHead();
    private final LogSequencer sequencer;
    private final @Nullable PostgresNotifications notifications;
    private final Object wakeAfterCommit = new Object();
    private final int batchSize;
    private final int fetchSize;
    private final Duration pollInterval;

    /**
     * A storage on the persistence unit's database, with 100 event rows per statement of a large append and a
     * fetch size of 500.
     */
    public JpaEventStorage(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager) {
        this(entityManagerFactory, transactionManager, 100, 500);
    }

    /**
     * A storage on the persistence unit's database, in the transactions of the given manager.
     *
     * @param transactionManager a manager that binds a JDBC connection of the persistence unit's
     *     {@code DataSource} to its transactions: a {@code JpaTransactionManager} for this
     *     {@code EntityManagerFactory}, or a {@code DataSourceTransactionManager} for its {@code DataSource}
     * @param batchSize how many event rows an append of more than {@value #MOST_EVENTS_IN_ONE_STATEMENT} events sends
     *     per statement (on PostgreSQL, where the events travel as arrays, every append takes one statement)
     * @param fetchSize how many event rows a load fetches per round trip
     * @throws IllegalArgumentException when the transaction manager cannot run the store's statements in its
     *     transactions (the message names it and what to configure), or a size is not positive
     */
    public JpaEventStorage(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager,
            int batchSize, int fetchSize) {
        this(entityManagerFactory, transactionManager, batchSize, fetchSize, DEFAULT_POLL_INTERVAL);
    }

    /**
     * A storage on the persistence unit's database, in the transactions of the given manager.
     *
     * @param pollInterval how often readers waiting for the log look for events appended by other instances
     *     (events appended in this process wake them at once; on PostgreSQL, so do other instances' events)
     * @throws IllegalArgumentException as {@link #JpaEventStorage(EntityManagerFactory, PlatformTransactionManager,
     *     int, int)}, and when the poll interval is not positive
     */
    public JpaEventStorage(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager,
            int batchSize, int fetchSize, Duration pollInterval) {
        this(dataSourceOf(entityManagerFactory), transactionManager, DatabasePlatform.of(entityManagerFactory
                .unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect()), batchSize, fetchSize,
                pollInterval);
    }

    private JpaEventStorage(DataSource dataSource, PlatformTransactionManager transactionManager,
            DatabasePlatform platform, int batchSize, int fetchSize, Duration pollInterval) {
        Objects.requireNonNull(transactionManager, "transactionManager");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (batchSize < 1 || fetchSize < 1) {
            throw new IllegalArgumentException("Batch size and fetch size must be positive, got " + batchSize
                    + " and " + fetchSize);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("The poll interval must be positive, got " + pollInterval);
        }
        this.dataSource = dataSource;
        this.transactionManager = transactionManager;
        this.transactions = new StoreTransactions(dataSource, transactionManager);
        this.platform = platform;
        this.errors = new DatabaseErrors(platform);
        this.streams = new StreamRows(platform, errors);
        this.events = new EventRows(platform, fetchSize);
        this.snapshots = new SnapshotRows(platform);
        this.appendStatement = platform.appendStatement();
        this.log = new LogRows(platform, fetchSize);
        this.identities = new StreamIdentities(platform);
        this.sequencer = new LogSequencer(dataSource, platform, log, head, pollInterval);
        this.notifications = platform == DatabasePlatform.POSTGRESQL && PostgresDriver.present()
                ? new PostgresNotifications(dataSource, head, pollInterval) : null;
        this.batchSize = batchSize;
        this.fetchSize = fetchSize;
        this.pollInterval = pollInterval;
    }

    /**
     * Why the given transaction manager cannot run the store's statements in its transactions on the
     * persistence unit's database, or {@code null} when it can. It can when it binds a JDBC connection of
     * the persistence unit's {@code DataSource} to its transactions.
     */
    public static @Nullable String whyCannotJoin(PlatformTransactionManager transactionManager,
            EntityManagerFactory entityManagerFactory) {
        return StoreTransactions.whyCannotJoin(transactionManager, dataSourceOf(entityManagerFactory));
    }

    /** The {@code DataSource} a persistence unit connects with. */
    static DataSource dataSourceOf(EntityManagerFactory entityManagerFactory) {
        Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
        if (entityManagerFactory instanceof EntityManagerFactoryInfo info && info.getDataSource() != null) {
            return info.getDataSource();
        }
        ConnectionProvider connections = entityManagerFactory.unwrap(SessionFactoryImplementor.class)
                .getServiceRegistry().getService(ConnectionProvider.class);
        DataSource dataSource = connections == null || !connections.isUnwrappableAs(DataSource.class) ? null
                : connections.unwrap(DataSource.class);
        if (dataSource == null) {
            throw new IllegalArgumentException("The persistence unit " + entityManagerFactory + " connects without a "
                    + "DataSource; the event store needs one to run its statements in the persistence unit's "
                    + "transactions");
        }
        return dataSource;
    }

    /**
     * The JPA entities that map the store's tables, by class name. They must be managed by the persistence
     * unit (so that schema validation checks the tables); list them explicitly in one that does not scan this
     * package. The store itself writes and reads the tables with plain JDBC.
     */
    public static List<String> entityClassNames() {
        return List.of(StreamEntity.class.getName(), EventEntity.class.getName(), SnapshotEntity.class.getName(),
                PendingEventEntity.class.getName(), LogEntity.class.getName(), LogHeadEntity.class.getName(),
                DeletedEventEntity.class.getName());
    }

    /** The database the store works in: the persistence unit's {@code DataSource}. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The transaction manager whose transactions the store's writes join or begin. */
    public PlatformTransactionManager transactionManager() {
        return transactionManager;
    }

    /**
     * How many event rows an append of more than {@value #MOST_EVENTS_IN_ONE_STATEMENT} events sends per
     * statement.
     */
    public int batchSize() {
        return batchSize;
    }

    /** How many event rows a load fetches per round trip. */
    public int fetchSize() {
        return fetchSize;
    }

    /** How often readers waiting for the log look for events appended by other instances. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * Appends in one round trip: the {@link AppendStatement} of the database moves the stream row and inserts
     * the events, or does nothing when the stream does not admit them. Outside a caller's transaction it runs
     * on a connection of the store's own in autocommit mode, where one statement commits as it runs: no
     * {@code begin} or {@code commit} travels, and no transaction manager is involved. Inside one it runs on
     * the transaction's connection. Appends of more than {@value #MOST_EVENTS_IN_ONE_STATEMENT} events
     * take a statement on the stream row and batches of event rows, in a transaction.
     */
    @Override
    public void append(TenantId tenantId, StreamId streamId, Versioning versioning, List<EventRecord> records) {
        UUID rowId = StreamKeys.rowId(tenantId, streamId);
        if (records.size() > MOST_EVENTS_IN_ONE_STATEMENT) {
            write(tenantId, streamId, connection -> {
                if (advance(connection, rowId, tenantId, streamId, versioning, records) instanceof Admission.Append append) {
                    insertAfter(connection, rowId, tenantId, streamId, records,
                            StreamState.storesVersions(versioning) ? append.base() : null);
                }
                return null;
            });
        } else if (transactions.inCallerTransaction()) {
            run(tenantId, streamId, () -> transactions.write(connection ->
                    appendInOneRoundTrip(connection, rowId, tenantId, streamId, versioning, records, false)));
        } else {
            WriteRetries.run(false, () -> run(tenantId, streamId, () -> {
                try (Connection connection = dataSource.getConnection()) {
                    if (!connection.getAutoCommit()) {
                        connection.setAutoCommit(true);
                    }
                    return appendInOneRoundTrip(connection, rowId, tenantId, streamId, versioning, records, true);
                }
            }));
        }
        numberOnceCommitted();
    }

    /** Inserts the events of a large append into a stream whose row this transaction advanced. */
    private void insertAfter(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId,
            List<EventRecord> records, @Nullable Long base) throws SQLException {
        try {
            appendStatement.insertAfter(connection, rowId, tenantId, base, records, batchSize);
        } catch (SQLException e) {
            if (errors.isDuplicateKey(e)) {
                // the stream row is advanced and locked: no other writer can hold these versions
                throw new DuplicateEventException("An event appended to stream " + streamId + " in " + tenantId
                        + " has an id that is already stored; nothing was written", e);
            }
            throw e;
        }
    }

    /** Appends with the database's one-round-trip statement, and finds out why when it inserted nothing. */
    private @Nullable Void appendInOneRoundTrip(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId,
            Versioning versioning, List<EventRecord> records, boolean standalone) throws SQLException {
        int inserted;
        try {
            inserted = appendStatement.append(connection, rowId, tenantId, streamId, versioning, records, standalone);
        } catch (SQLException e) {
            if (errors.isDuplicateKey(e)) {
                // the statement changed the stream row, or locked it: no other writer can hold these versions
                throw new DuplicateEventException("An event appended to stream " + streamId + " in " + tenantId
                        + " has an id that is already stored; nothing was written", e);
            }
            throw e;
        }
        if (inserted == records.size()) {
            return null;
        }
        if (inserted != 0) {
            throw new IllegalStateException("The append to stream " + streamId + " inserted " + inserted + " of "
                    + records.size() + " events");
        }
        refused(connection, rowId, tenantId, streamId, versioning, records);
        return null;
    }

    /**
     * Why the stream did not admit an append that wrote nothing: a retry of a stored append (which succeeds),
     * or the conflict or versioning rule it broke. The stream's state is read without a lock.
     */
    private void refused(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId, Versioning versioning,
            List<EventRecord> records) throws SQLException {
        StreamState state = streams.state(connection, rowId, tenantId, false);
        if (versioning instanceof Versioning.Expected expected) {
            StreamState.StoredVersions stored = storedVersions(connection, rowId, tenantId, streamId);
            if (state.admit(versioning, tenantId, streamId, records, stored) instanceof Admission.AlreadyStored) {
                return;
            }
            StreamState.recogniseRetry(expected, tenantId, streamId, records, stored,
                    new ConcurrentStreamWriteException("Stream " + streamId + " in " + tenantId + " was changed by a "
                            + "concurrent writer; the append expected version " + expected.version()));
            return;
        }
        state.admit(versioning, tenantId, streamId);
        // admissible now: the stream changed between the statement and this read
        throw new TransientStreamWriteException("Stream " + streamId + " in " + tenantId + " changed while it was "
                + "appended to; nothing was written", null);
    }

    private StreamState.StoredVersions storedVersions(Connection connection, UUID rowId, TenantId tenantId,
            StreamId streamId) {
        return ids -> {
            try {
                return events.storedVersions(connection, rowId, tenantId, ids);
            } catch (SQLException e) {
                throw errors.translate(e, tenantId, streamId);
            }
        };
    }

    /**
     * Wakes the sequencer to give the appended events their positions: at once after a transaction of the
     * store's own, after the commit of a caller's transaction (once, however many appends it made).
     */
    private void numberOnceCommitted() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            sequencer.wake();
            return;
        }
        if (TransactionSynchronizationManager.hasResource(wakeAfterCommit)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(wakeAfterCommit, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(wakeAfterCommit);
                if (status == STATUS_COMMITTED) {
                    sequencer.wake();
                }
            }
        });
    }

    /**
     * Moves the stream row to the version after the append (creating it if need be) and returns the
     * version the appended events follow, or {@link Admission#ALREADY_STORED} for a retry of a stored
     * append, which changes nothing. Nothing irreversible has happened when this throws.
     */
    private Admission advance(Connection connection, UUID rowId, TenantId tenantId, StreamId streamId,
            Versioning versioning, List<EventRecord> records) throws SQLException {
        int count = records.size();
        if (versioning instanceof Versioning.Expected expected) {
            long target = expected.version() + count;
            boolean changed = expected.version() == 0
                    ? streams.insertIfAbsent(connection, rowId, tenantId, streamId, true, target)
                    : streams.compareAndSet(connection, rowId, tenantId, expected.version(), target);
            if (changed) {
                return new Admission.Append(expected.version());
            }
            // tells which rule was broken, or that this is a retry; if the stream looks admissible, a writer won a race
            StreamState.StoredVersions stored = storedVersions(connection, rowId, tenantId, streamId);
            Admission admission = streams.state(connection, rowId, tenantId, false)
                    .admit(versioning, tenantId, streamId, records, stored);
            if (admission instanceof Admission.AlreadyStored) {
                return admission;
            }
            return StreamState.recogniseRetry(expected, tenantId, streamId, records, stored,
                    new ConcurrentStreamWriteException("Stream " + streamId + " in " + tenantId + " was changed by a "
                            + "concurrent writer; the append expected version " + expected.version()));
        }
        boolean versioned = StreamState.storesVersions(versioning);
        long base = streams.lockCreatingIfAbsent(connection, rowId, tenantId, streamId, versioned)
                .admit(versioning, tenantId, streamId);
        if (versioned) {
            streams.setVersion(connection, rowId, tenantId, base + count);
        }
        return new Admission.Append(base);
    }

    /**
     * Loads with two queries, the latest snapshot in range and the events after it: in the caller's
     * transaction when there is one (seeing its writes), otherwise on a connection of the store's own in
     * autocommit mode, without a transaction to begin and commit.
     */
    @Override
    public StreamSlice read(TenantId tenantId, StreamId streamId, @Nullable Long start, @Nullable Long stop) {
        UUID rowId = StreamKeys.rowId(tenantId, streamId);
        long from = start == null ? 1 : start;
        long to = stop == null ? Long.MAX_VALUE : stop;
        StoreTransactions.Work<StreamSlice> load = connection -> {
            EventRecord snapshot = from < to ? snapshots.latest(connection, rowId, tenantId, from, to) : null;
            long after = snapshot == null ? from : snapshot.version() + 1;
            return new StreamSlice(snapshot, events.read(connection, rowId, tenantId, after, to));
        };
        return read(tenantId, streamId, load);
    }

    /**
     * Runs reading statements in the caller's transaction when there is one (seeing its writes), otherwise on a
     * connection of the store's own in autocommit mode.
     */
    private <T> T read(TenantId tenantId, StreamId streamId, StoreTransactions.Work<T> work) {
        if (transactions.inCallerTransaction()) {
            return run(tenantId, streamId, () -> transactions.read(work));
        }
        return run(tenantId, streamId, () -> {
            try (Connection connection = dataSource.getConnection()) {
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
                return work.run(connection);
            }
        });
    }

    /** The stream row's version, read in the caller's transaction when there is one. */
    @Override
    public long version(TenantId tenantId, StreamId streamId) {
        UUID rowId = StreamKeys.rowId(tenantId, streamId);
        StoreTransactions.Work<Long> version = connection -> streams.state(connection, rowId, tenantId, false).version();
        return read(tenantId, streamId, version);
    }

    @Override
    public void delete(TenantId tenantId, StreamId streamId) {
        UUID rowId = StreamKeys.rowId(tenantId, streamId);
        write(tenantId, streamId, connection -> {
            // lock the stream row before its events and snapshots, as appends and snapshots do: writers of one
            // stream then queue on that row instead of deadlocking, or inserting under a delete's feet
            if (streams.state(connection, rowId, tenantId, true).exists()) {
                refuseIfTheSnapshotHidesEvents(connection, rowId, tenantId, streamId);
                identities.forget(rowId);
                snapshots.delete(connection, rowId, tenantId);
                // records the deleted events for the sequencer, which takes them out of the log: the delete
                // itself touches no row of the log, so however long its transaction stays open, numbering goes on
                events.delete(connection, rowId, tenantId);
                streams.delete(connection, rowId, tenantId);
            }
            return null;
        });
    }

    /**
     * H2 at repeatable read neither shows a transaction the events committed after its snapshot nor lets its
     * delete remove them, though it locks the stream row at its latest version: they would stay behind without
     * their stream. PostgreSQL refuses such a delete as a serialization failure and MariaDB's delete removes them
     * (its writes read the latest rows); on H2 the stream's committed events are compared with those the
     * transaction sees, on a connection of the store's own, and the delete is refused as PostgreSQL refuses it,
     * before anything is written.
     */
    private void refuseIfTheSnapshotHidesEvents(Connection connection, UUID rowId, TenantId tenantId,
            StreamId streamId) throws SQLException {
        if (platform != DatabasePlatform.STANDARD || !transactions.inCallerTransaction()
                || connection.getTransactionIsolation() != Connection.TRANSACTION_REPEATABLE_READ) {
            return;
        }
        Set<Long> seen = events.seqs(connection, rowId, tenantId);
        Set<Long> committed;
        try (Connection own = dataSource.getConnection()) {
            if (!own.getAutoCommit()) {
                own.setAutoCommit(true);
            }
            committed = events.seqs(own, rowId, tenantId);
        }
        if (!seen.containsAll(committed)) {
            throw new TransientStreamWriteException("Stream " + streamId + " in " + tenantId + " gained events after "
                    + "this transaction's snapshot, which H2 at repeatable read hides from its delete; nothing was "
                    + "deleted: run the transaction again", null);
        }
    }

    @Override
    public void saveSnapshot(TenantId tenantId, StreamId streamId, EventRecord snapshot) {
        UUID rowId = StreamKeys.rowId(tenantId, streamId);
        long version = snapshot.version() == null ? 0 : snapshot.version();
        write(tenantId, streamId, connection -> {
            // the lock keeps the stream from being deleted or shrunk under the snapshot
            streams.state(connection, rowId, tenantId, true).admitSnapshot(version, tenantId, streamId);
            snapshots.save(connection, rowId, tenantId, snapshot);
            return null;
        });
    }

    /**
     * Numbers the events committed before the call first, so that a thread sees the events it appended, and
     * removes from the log the events of streams deleted before it; waits for no caller's transaction.
     */
    @Override
    public Optional<Position> position() {
        try {
            sequencer.catchUp();
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                return Optional.ofNullable(log.highest(connection)).map(Position::new);
            }
        } catch (SQLException e) {
            throw errors.translate(e, "reading the store's position");
        }
    }

    /**
     * Reads the numbered log on a connection of its own, in autocommit mode, outside any caller's
     * transaction: only committed events have positions.
     */
    @Override
    public LogPage readLog(LogQuery query) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            long reached = log.head(connection);
            return new LogPage(log.read(connection, query, identities), reached);
        } catch (SQLException e) {
            throw errors.translate(e, "reading the log");
        }
    }

    @Override
    public void awaitLog(long known, Duration timeLimit) throws InterruptedException {
        head.await(known, timeLimit.toNanos(), () -> {
            sequencer.watch();
            if (notifications != null) {
                notifications.watch();
            }
        });
    }

    /** Stops the threads that number events and wake waiting readers; appends and reads still work. */
    @Override
    public void close() {
        sequencer.close();
        if (notifications != null) {
            notifications.close();
        }
    }

    /** Runs a write in the caller's transaction, or in one of its own that runs again after a transient conflict. */
    private void write(TenantId tenantId, StreamId streamId, StoreTransactions.Work<?> work) {
        WriteRetries.run(transactions.inCallerTransaction(), () -> run(tenantId, streamId, () -> transactions.write(work)));
    }

    private <T> T run(TenantId tenantId, StreamId streamId, Call<T> call) {
        try {
            return call.run();
        } catch (SQLException e) {
            throw errors.translate(e, tenantId, streamId);
        } catch (EventStoreException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw errors.translateTransactionFailure(e, tenantId, streamId);
        }
    }

    /** A call of the transactions that may fail with a statement's exception. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws SQLException;
    }
}

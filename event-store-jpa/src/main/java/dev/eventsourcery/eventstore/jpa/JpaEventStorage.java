package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.jspecify.annotations.Nullable;
import org.springframework.orm.jpa.EntityManagerFactoryInfo;
import org.springframework.transaction.PlatformTransactionManager;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.storage.Admission;
import dev.eventsourcery.eventstore.storage.EventRecord;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.StreamSlice;
import dev.eventsourcery.eventstore.storage.StreamState;

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
 */
public final class JpaEventStorage implements EventStorage {

    private static final String HIGHEST_SEQ = "select max(seq) from es_event";

    private final StoreTransactions transactions;
    private final DatabaseErrors errors;
    private final StreamRows streams;
    private final EventRows events;
    private final SnapshotRows snapshots;
    private final int batchSize;
    private final int fetchSize;

    /** A storage on the persistence unit's database, with a JDBC batch size of 100 and a fetch size of 500. */
    public JpaEventStorage(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager) {
        this(entityManagerFactory, transactionManager, 100, 500);
    }

    /**
     * A storage on the persistence unit's database, in the transactions of the given manager.
     *
     * @param transactionManager a manager that binds a JDBC connection of the persistence unit's
     *     {@code DataSource} to its transactions: a {@code JpaTransactionManager} for this
     *     {@code EntityManagerFactory}, or a {@code DataSourceTransactionManager} for its {@code DataSource}
     * @param batchSize how many event rows go to the database in one JDBC batch
     * @param fetchSize how many event rows a load fetches per round trip
     * @throws IllegalArgumentException when the transaction manager cannot run the store's statements in its
     *     transactions (the message names it and what to configure), or a size is not positive
     */
    public JpaEventStorage(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager,
            int batchSize, int fetchSize) {
        this(dataSourceOf(entityManagerFactory), transactionManager, DatabasePlatform.of(entityManagerFactory
                .unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect()), batchSize, fetchSize);
    }

    private JpaEventStorage(DataSource dataSource, PlatformTransactionManager transactionManager,
            DatabasePlatform platform, int batchSize, int fetchSize) {
        Objects.requireNonNull(transactionManager, "transactionManager");
        if (batchSize < 1 || fetchSize < 1) {
            throw new IllegalArgumentException("Batch size and fetch size must be positive, got " + batchSize
                    + " and " + fetchSize);
        }
        this.transactions = new StoreTransactions(dataSource, transactionManager);
        this.errors = new DatabaseErrors(platform);
        this.streams = new StreamRows(platform, errors);
        this.events = new EventRows(platform, errors, batchSize, fetchSize);
        this.snapshots = new SnapshotRows(platform);
        this.batchSize = batchSize;
        this.fetchSize = fetchSize;
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
        return List.of(StreamEntity.class.getName(), EventEntity.class.getName(), SnapshotEntity.class.getName());
    }

    /** How many event rows go to the database in one JDBC batch. */
    public int batchSize() {
        return batchSize;
    }

    /** How many event rows a load fetches per round trip. */
    public int fetchSize() {
        return fetchSize;
    }

    @Override
    public void append(TenantId tenantId, StreamId streamId, Versioning versioning, List<EventRecord> records) {
        UUID rowId = StreamKeys.rowId(tenantId, streamId);
        write(tenantId, streamId, connection -> {
            if (advance(connection, rowId, tenantId, streamId, versioning, records) instanceof Admission.Append append) {
                events.insert(connection, rowId, tenantId, streamId, records,
                        StreamState.storesVersions(versioning) ? append.base() : null);
            }
            return null;
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
            StreamState.StoredVersions stored = ids -> {
                try {
                    return events.storedVersions(connection, rowId, tenantId, ids);
                } catch (SQLException e) {
                    throw errors.translate(e, tenantId, streamId);
                }
            };
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

    @Override
    public StreamSlice read(TenantId tenantId, StreamId streamId, @Nullable Long start, @Nullable Long stop) {
        UUID rowId = StreamKeys.rowId(tenantId, streamId);
        long from = start == null ? 1 : start;
        long to = stop == null ? Long.MAX_VALUE : stop;
        return run(tenantId, streamId, () -> transactions.read(connection -> {
            EventRecord snapshot = from < to ? snapshots.latest(connection, rowId, tenantId, from, to) : null;
            long after = snapshot == null ? from : snapshot.version() + 1;
            return new StreamSlice(snapshot, events.read(connection, rowId, tenantId, after, to));
        }));
    }

    @Override
    public void delete(TenantId tenantId, StreamId streamId) {
        UUID rowId = StreamKeys.rowId(tenantId, streamId);
        write(tenantId, streamId, connection -> {
            // lock the stream row before its events and snapshots, as appends and snapshots do: writers of one
            // stream then queue on that row instead of deadlocking, or inserting under a delete's feet
            if (streams.state(connection, rowId, tenantId, true).exists()) {
                snapshots.delete(connection, rowId, tenantId);
                events.delete(connection, rowId, tenantId);
                streams.delete(connection, rowId, tenantId);
            }
            return null;
        });
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

    @Override
    public Optional<Position> position() {
        try {
            Long highest = transactions.read(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(HIGHEST_SEQ);
                        ResultSet row = statement.executeQuery()) {
                    row.next();
                    long value = row.getLong(1);
                    return row.wasNull() ? null : value;
                }
            });
            return Optional.ofNullable(highest).map(Position::new);
        } catch (SQLException e) {
            throw errors.translate(e, "reading the store's position");
        } catch (EventStoreException | IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EventStoreException("The database failed while reading the store's position: " + e.getMessage(), e);
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

package dev.eventsourcery.eventstore.jpa;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import jakarta.persistence.PersistenceException;

import org.hibernate.Session;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.hibernate.jpa.HibernateHints;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

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
import dev.eventsourcery.eventstore.storage.StreamSlice;
import dev.eventsourcery.eventstore.storage.StreamState;

/**
 * Keeps the event store in the application's relational database through JPA (Hibernate), on its own
 * {@link EntityManagerFactory} and transaction manager.
 *
 * <h2>Transactions</h2>
 * Writes run with propagation {@code REQUIRED}, exactly as a {@code @Transactional} method would: inside
 * a caller's transaction they join it, so business state and events commit or roll back together, and a
 * refused append marks that transaction rollback-only; outside one they run in their own. Reads run
 * read-only. The transaction is driven with a {@link TransactionTemplate} rather than the annotation so
 * that a failure at commit is translated like every other: no JDBC, JPA or Spring exception type reaches
 * the caller, only {@link EventStoreException}s.
 *
 * <h2>Concurrency</h2>
 * The stream row holds the stream version. A versioned append first advances it with a compare-and-set
 * ({@code update … where version = :expected}), or creates the row if absent, before anything
 * irreversible (positions, event rows) happens; {@link Versioning#ANY} locks the row instead. Unique
 * constraints on (stream, version) and on the event id back this up in the database.
 *
 * <p>Every write of a stream — append, snapshot, delete — locks the stream row first, so writers of one
 * stream queue on that row rather than deadlock. A write that runs in a transaction of its own is run
 * again (up to {@value #MAX_ATTEMPTS} times) after a deadlock, lock timeout or serialization failure, and
 * an append without an expected version also when it loses the race to create its stream; inside a
 * caller's transaction, which the database has rolled back, those surface as
 * {@link ConcurrentStreamWriteException}. A conflict with an expected version is never retried.
 *
 * <h2>Failures</h2>
 * No JDBC, JPA or Spring exception reaches the caller. Duplicate keys and lost races are
 * {@link DuplicateEventException} and {@link ConcurrentStreamWriteException}; a connection that drops or is
 * killed (PostgreSQL {@code pg_terminate_backend}, MariaDB {@code KILL}) mid-call is an
 * {@link EventStoreException} saying so, after the database has rolled back whatever the call had not
 * committed: nothing partial is stored, and the next call runs on a fresh connection from the pool. Only a
 * connection lost during the commit leaves it unknown whether an append was stored; retrying it with the
 * same events and the same expected version is safe, since a retry of a stored append is recognised and
 * stores nothing (see {@link StreamState}). Inside a caller's transaction the loss also ends that
 * transaction, which can then only roll back.
 *
 * <h2>Round trips</h2>
 * An append is one stream statement, the sequence calls for positions (pooled, one per
 * {@value EventEntity#POSITION_ALLOCATION} events) and the event inserts in JDBC batches; a load is one
 * query for the snapshot and one for the events.
 */
public final class JpaEventStorage implements EventStorage {

    private static final String EVENT_RECORD = "new " + EventRecord.class.getName()
            + "(e.eventUuid, e.version, e.eventType, e.payload, e.context, e.createdAt)";
    private static final String SNAPSHOT_RECORD = "new " + EventRecord.class.getName()
            + "(s.snapshotUuid, s.version, s.eventType, s.payload, s.context, s.createdAt)";

    /** Runs of an append in its own transaction before a transient conflict is reported. */
    private static final int MAX_ATTEMPTS = 10;

    private final EntityManager entityManager;
    private final TransactionTemplate writing;
    private final TransactionTemplate reading;
    private final StreamRows streams;
    private final int batchSize;
    private final int fetchSize;

    /** A storage with a JDBC batch size of 100 and a fetch size of 500. */
    public JpaEventStorage(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager) {
        this(entityManagerFactory, transactionManager, 100, 500);
    }

    /**
     * A storage on the application's persistence unit.
     *
     * @param batchSize how many event rows go to the database in one JDBC batch
     * @param fetchSize how many event rows a load fetches per round trip
     */
    public JpaEventStorage(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager,
            int batchSize, int fetchSize) {
        Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
        Objects.requireNonNull(transactionManager, "transactionManager");
        if (batchSize < 1 || fetchSize < 1) {
            throw new IllegalArgumentException("Batch size and fetch size must be positive, got " + batchSize
                    + " and " + fetchSize);
        }
        this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        this.writing = new TransactionTemplate(transactionManager);
        this.writing.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.reading = new TransactionTemplate(transactionManager);
        this.reading.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.reading.setReadOnly(true);
        this.streams = new StreamRows(entityManager, DatabasePlatform.of(
                entityManagerFactory.unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect()));
        this.batchSize = batchSize;
        this.fetchSize = fetchSize;
    }

    /**
     * The JPA entities this storage maps, by class name. They must be managed by the persistence unit;
     * list them explicitly in one that does not scan this package.
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
    public void append(TenantId tenantId, StreamId streamId, Versioning versioning, List<EventRecord> events) {
        writeRetrying(tenantId, streamId, conflict -> retryable(conflict, versioning), () -> {
            UUID rowId = StreamKeys.rowId(tenantId, streamId);
            if (advanceStream(rowId, tenantId, streamId, versioning, events) instanceof Admission.Append append) {
                insertEvents(rowId, tenantId, events, StreamState.storesVersions(versioning) ? append.base() : null);
            }
            return null;
        });
    }

    /**
     * Runs a write in the caller's transaction, or in one of its own that is run again (up to
     * {@value #MAX_ATTEMPTS} times) when it fails with a conflict the predicate calls transient.
     */
    private <T> T writeRetrying(TenantId tenantId, StreamId streamId, Predicate<ConcurrentStreamWriteException> retryable,
            Supplier<T> work) {
        // a transaction of our own can be run again after a transient failure; a caller's cannot
        int attempts = TransactionSynchronizationManager.isActualTransactionActive() ? 1 : MAX_ATTEMPTS;
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(writing, tenantId, streamId, work);
            } catch (ConcurrentStreamWriteException e) {
                if (attempt >= attempts || !retryable.test(e)) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    /** Deadlocks, lock timeouts and serialization failures, which a write in a transaction of its own retries. */
    private static boolean transientConflict(ConcurrentStreamWriteException conflict) {
        return conflict.getCause() != null && isTransient(conflict.getCause());
    }

    /**
     * Whether a failed append may run again: after a deadlock, lock timeout or serialization failure,
     * or when an append without an expected version lost the race to create its stream. A conflict with
     * an expected version is final.
     */
    private static boolean retryable(ConcurrentStreamWriteException conflict, Versioning versioning) {
        return transientConflict(conflict) || (!(versioning instanceof Versioning.Expected)
                && conflict.getCause() != null && find(conflict.getCause(), ConstraintViolationException.class) != null);
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConcurrentStreamWriteException("Interrupted while retrying an append", e);
        }
    }

    /**
     * Moves the stream row to the version after the append (creating it if need be) and returns the
     * version the appended events follow, or {@link Admission#ALREADY_STORED} for a retry of a stored
     * append, which changes nothing. Nothing irreversible has happened when this throws.
     */
    private Admission advanceStream(UUID rowId, TenantId tenantId, StreamId streamId, Versioning versioning,
            List<EventRecord> events) {
        int count = events.size();
        boolean versioned = StreamState.storesVersions(versioning);
        if (versioning instanceof Versioning.Expected expected) {
            long target = expected.version() + count;
            boolean changed = expected.version() == 0
                    ? streams.insertIfAbsent(rowId, tenantId, streamId, true, target)
                    : streams.compareAndSet(rowId, tenantId, expected.version(), target);
            if (!changed) {
                // tells which rule was broken, or that this is a retry; if the stream looks admissible, a concurrent writer won
                Admission admission = streams.state(rowId, tenantId, false).admit(versioning, tenantId, streamId, events,
                        ids -> storedVersions(rowId, tenantId, ids));
                if (admission instanceof Admission.AlreadyStored) {
                    return admission;
                }
                ConcurrentStreamWriteException conflict = new ConcurrentStreamWriteException("Stream " + streamId
                        + " in " + tenantId + " was changed by a concurrent writer; the append expected version "
                        + expected.version());
                return StreamState.recogniseRetry(expected, tenantId, streamId, events,
                        ids -> storedVersions(rowId, tenantId, ids), conflict);
            }
            return new Admission.Append(expected.version());
        }
        StreamState state = streams.state(rowId, tenantId, true);
        if (!state.exists()) {
            if (streams.insertIfAbsent(rowId, tenantId, streamId, versioned, versioned ? count : 0)) {
                return new Admission.Append(0);
            }
            // created concurrently: the insert waited for that writer, so the locking read now sees the row
            state = streams.state(rowId, tenantId, true);
        }
        long base = state.admit(versioning, tenantId, streamId);
        if (versioned) {
            streams.setVersion(rowId, tenantId, base + count);
        }
        return new Admission.Append(base);
    }

    /** Where those of the given events that are stored in the stream are, by version: asked only on a conflict. */
    private Map<UUID, Long> storedVersions(UUID rowId, TenantId tenantId, Collection<UUID> eventIds) {
        Map<UUID, Long> versions = new HashMap<>();
        entityManager.createQuery("select e.eventUuid, e.version from EventStoreEvent e where e.streamId = :id "
                        + "and e.tenantId = :tenant and e.eventUuid in :ids and e.version is not null", Object[].class)
                .setParameter("id", rowId)
                .setParameter("tenant", tenantId.value())
                .setParameter("ids", eventIds)
                .getResultList()
                .forEach(row -> versions.put((UUID) row[0], (Long) row[1]));
        return versions;
    }

    private void insertEvents(UUID rowId, TenantId tenantId, List<EventRecord> events, @Nullable Long base) {
        Session session = entityManager.unwrap(Session.class);
        Integer previousBatchSize = session.getJdbcBatchSize();
        session.setJdbcBatchSize(batchSize);
        try {
            EventEntity[] entities = new EventEntity[events.size()];
            for (int i = 0; i < entities.length; i++) {
                EventRecord event = events.get(i);
                entities[i] = new EventEntity(rowId, tenantId.value(), base == null ? null : base + i + 1, event.uuid(),
                        event.type(), event.payload(), event.context(), event.createdAt());
                entityManager.persist(entities[i]);
            }
            entityManager.flush();
            for (EventEntity entity : entities) {
                // stored events are never changed: keep them out of the caller's persistence context
                entityManager.detach(entity);
            }
        } finally {
            session.setJdbcBatchSize(previousBatchSize);
        }
    }

    @Override
    public StreamSlice read(TenantId tenantId, StreamId streamId, @Nullable Long start, @Nullable Long stop) {
        return inTransaction(reading, tenantId, streamId, () -> {
            UUID rowId = StreamKeys.rowId(tenantId, streamId);
            long from = start == null ? 1 : start;
            long to = stop == null ? Long.MAX_VALUE : stop;
            EventRecord snapshot = null;
            if (from < to) {
                List<EventRecord> snapshots = entityManager.createQuery("select " + SNAPSHOT_RECORD
                                + " from EventStoreSnapshot s where s.streamId = :id and s.tenantId = :tenant"
                                + " and s.version >= :from and s.version < :to order by s.version desc", EventRecord.class)
                        .setParameter("id", rowId)
                        .setParameter("tenant", tenantId.value())
                        .setParameter("from", from)
                        .setParameter("to", to)
                        .setMaxResults(1)
                        .getResultList();
                if (!snapshots.isEmpty()) {
                    snapshot = snapshots.get(0);
                    from = snapshot.version() + 1;
                }
            }
            List<EventRecord> events = entityManager.createQuery("select " + EVENT_RECORD
                            + " from EventStoreEvent e where e.streamId = :id and e.tenantId = :tenant"
                            + " and (e.version is null or (e.version >= :from and e.version < :to))"
                            + " order by e.version, e.position", EventRecord.class)
                    .setParameter("id", rowId)
                    .setParameter("tenant", tenantId.value())
                    .setParameter("from", from)
                    .setParameter("to", to)
                    .setHint(HibernateHints.HINT_FETCH_SIZE, fetchSize)
                    .setHint(HibernateHints.HINT_READ_ONLY, true)
                    .getResultList();
            return new StreamSlice(snapshot, events);
        });
    }

    @Override
    public void delete(TenantId tenantId, StreamId streamId) {
        writeRetrying(tenantId, streamId, JpaEventStorage::transientConflict, () -> {
            UUID rowId = StreamKeys.rowId(tenantId, streamId);
            // lock the stream row before its events and snapshots, as appends and snapshots do: writers of one
            // stream then queue on that row instead of deadlocking, or inserting under a delete's feet
            if (!streams.state(rowId, tenantId, true).exists()) {
                return null;
            }
            for (String entity : List.of("EventStoreSnapshot", "EventStoreEvent")) {
                entityManager.createQuery("delete from " + entity + " x where x.streamId = :id and x.tenantId = :tenant")
                        .setParameter("id", rowId)
                        .setParameter("tenant", tenantId.value())
                        .executeUpdate();
            }
            entityManager.createQuery("delete from EventStoreStream s where s.id = :id and s.tenantId = :tenant")
                    .setParameter("id", rowId)
                    .setParameter("tenant", tenantId.value())
                    .executeUpdate();
            return null;
        });
    }

    @Override
    public void saveSnapshot(TenantId tenantId, StreamId streamId, EventRecord snapshot) {
        writeRetrying(tenantId, streamId, JpaEventStorage::transientConflict, () -> {
            UUID rowId = StreamKeys.rowId(tenantId, streamId);
            long version = snapshot.version() == null ? 0 : snapshot.version();
            // the lock keeps the stream from being deleted or shrunk under the snapshot
            streams.state(rowId, tenantId, true).admitSnapshot(version, tenantId, streamId);
            SnapshotEntity entity = new SnapshotEntity(rowId, version, tenantId.value(), snapshot.uuid(),
                    snapshot.type(), snapshot.payload(), snapshot.context(), snapshot.createdAt());
            SnapshotEntity existing = entityManager.find(SnapshotEntity.class, new SnapshotEntity.Key(rowId, version));
            if (existing == null) {
                entityManager.persist(entity);
                existing = entity;
            } else {
                existing.replaceWith(entity);
            }
            entityManager.flush();
            entityManager.detach(existing);
            return null;
        });
    }

    @Override
    public Optional<Position> position() {
        try {
            Long max = reading.execute(status -> entityManager
                    .createQuery("select max(e.position) from EventStoreEvent e", Long.class)
                    .getSingleResult());
            return Optional.ofNullable(max).map(Position::new);
        } catch (RuntimeException e) {
            throw new EventStoreException("The database failed while reading the store's position: " + e.getMessage(), e);
        }
    }

    private <T> T inTransaction(TransactionTemplate template, TenantId tenantId, StreamId streamId, Supplier<T> work) {
        AtomicReference<RuntimeException> failedInside = new AtomicReference<>();
        try {
            return template.execute(status -> {
                try {
                    return work.get();
                } catch (RuntimeException e) {
                    failedInside.set(e);
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            // a rollback that fails after a failure (a dead connection cannot roll back) replaces that failure in
            // the transaction template; the failure inside is what the caller must hear about
            RuntimeException failure = failedInside.get() != null ? failedInside.get() : e;
            if (failure != e) {
                failure.addSuppressed(e);
            }
            if (failure instanceof EventStoreException storeFailure) {
                throw storeFailure;
            }
            throw translate(failure, tenantId, streamId);
        }
    }

    /** Turns a database failure into the event store's exception for it. */
    private static RuntimeException translate(RuntimeException failure, TenantId tenantId, StreamId streamId) {
        if (failure instanceof IllegalArgumentException || failure instanceof NullPointerException) {
            return failure;
        }
        if (isTransient(failure)) {
            return new ConcurrentStreamWriteException("Stream " + streamId + " in " + tenantId
                    + " is being written concurrently (deadlock, lock timeout or serialization failure); "
                    + "nothing was written: " + failure.getMessage(), failure);
        }
        ConstraintViolationException violation = find(failure, ConstraintViolationException.class);
        if (violation != null) {
            String constraint = String.valueOf(violation.getConstraintName()).toLowerCase(Locale.ROOT);
            String message = String.valueOf(violation.getMessage()).toLowerCase(Locale.ROOT);
            if (constraint.contains("es_event_uuid_uk") || message.contains("es_event_uuid_uk")) {
                return new DuplicateEventException("An event appended to stream " + streamId + " in " + tenantId
                        + " has an id that is already stored", failure);
            }
            return new ConcurrentStreamWriteException("Stream " + streamId + " in " + tenantId
                    + " was changed by a concurrent writer (" + violation.getKind() + " on " + constraint + ")", failure);
        }
        if (isConnectionLoss(failure)) {
            return new EventStoreException("The connection to the database was lost while working on stream " + streamId
                    + " in " + tenantId + ". A write cut off before its commit stored nothing; one cut off during its "
                    + "commit may have been stored: retry an append with the same events and the same expected "
                    + "version, which stores them at most once. Cause: " + failure.getMessage(), failure);
        }
        String what = failure instanceof PersistenceException ? "database" : "transaction";
        return new EventStoreException("The " + what + " failed while working on stream " + streamId + " in "
                + tenantId + ": " + failure.getMessage(), failure);
    }

    /** Deadlocks, lock timeouts and serialization failures: the database gave up on a lock, not on the data. */
    private static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LockAcquisitionException || cause instanceof PessimisticLockException
                    || cause instanceof LockTimeoutException || cause instanceof PessimisticLockingFailureException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                String state = String.valueOf(sql.getSQLState());
                int code = sql.getErrorCode();
                if (state.startsWith("40") || code == 1213 || code == 1205 || code == 50200 || code == 90131) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A dropped or killed connection: SQL states of class 08 (connection exception), PostgreSQL's 57P01-57P03
     * (terminated by an administrator, crash or shutdown), MariaDB's 1927 (connection killed), and the
     * driver and Hibernate types for it.
     */
    private static boolean isConnectionLoss(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JDBCConnectionException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                String state = String.valueOf(sql.getSQLState());
                if (state.startsWith("08") || state.startsWith("57P0") || sql.getErrorCode() == 1927) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}

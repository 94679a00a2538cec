package dev.eventsourcery.eventstore.jpa;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.CannotCreateTransactionException;

import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.storage.TransientStreamWriteException;

/**
 * How database errors become the event store's exceptions. What the database said (SQL state and vendor
 * code) is classified by Spring's {@link SQLErrorCodeSQLExceptionTranslator} for the store's database:
 * lock and serialization failures are transient conflicts, a lost connection is reported as such, and
 * anything else is an {@link EventStoreException} naming the stream. Which constraint a duplicate key
 * broke is decided by the statement that sent it, not by the constraint's name, so schemas whose
 * constraints a migration renamed classify alike.
 */
final class DatabaseErrors {

    private final SQLExceptionTranslator translator;

    DatabaseErrors(DatabasePlatform platform) {
        this.translator = new SQLErrorCodeSQLExceptionTranslator(platform.productName());
    }

    /** Whether the database refused a row because a unique constraint or primary key already holds its key. */
    boolean isDuplicateKey(SQLException failure) {
        return classify(failure) instanceof DuplicateKeyException;
    }

    /** The exception the caller gets for a statement that failed while working on a stream. */
    RuntimeException translate(SQLException failure, TenantId tenantId, StreamId streamId) {
        return translate(classify(failure), failure, "working on stream " + streamId + " in " + tenantId);
    }

    /** The exception the caller gets for a statement that failed while reading the log or the store's position. */
    RuntimeException translate(SQLException failure, String task) {
        return translate(classify(failure), failure, task);
    }

    /**
     * The exception the caller gets for a failure of the transaction around a store call (beginning or
     * committing it), or of anything else that is not a statement of the store.
     */
    RuntimeException translateTransactionFailure(RuntimeException failure, TenantId tenantId, StreamId streamId) {
        SQLException sql = find(failure, SQLException.class);
        DataAccessException classified = failure instanceof DataAccessException access ? access
                : sql != null ? classify(sql) : null;
        if (failure instanceof CannotCreateTransactionException && classified == null) {
            classified = new DataAccessResourceFailureException(failure.getMessage(), failure);
        }
        return translate(classified, failure, "working on stream " + streamId + " in " + tenantId);
    }

    /**
     * What the database said, as Spring classifies it. A driver may wrap the telling exception (MariaDB's
     * batch failures carry the dropped connection as their cause), so the causes are asked in turn until one
     * is classified.
     */
    private @Nullable DataAccessException classify(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                DataAccessException classified = translator.translate("event store", null, sql);
                if (classified != null && !(classified instanceof UncategorizedSQLException)) {
                    return classified;
                }
            }
        }
        return null;
    }

    private static RuntimeException translate(@Nullable DataAccessException classified, Exception failure, String task) {
        if (classified instanceof ConcurrencyFailureException) {
            return new TransientStreamWriteException("The database gave up " + task + " on a lock held by a concurrent "
                    + "writer (deadlock, lock timeout or serialization failure); nothing was written: "
                    + failure.getMessage(), failure);
        }
        if (classified instanceof DataAccessResourceFailureException
                || classified instanceof TransientDataAccessResourceException
                || classified instanceof RecoverableDataAccessException) {
            return new EventStoreException("The connection to the database was lost while " + task + ". A write cut "
                    + "off before its commit stored nothing; one cut off during its commit may have been stored: "
                    + "retry an append with the same events and the same expected version, which stores them at "
                    + "most once. Cause: " + failure.getMessage(), failure);
        }
        return new EventStoreException("The database failed while " + task + ": " + failure.getMessage(), failure);
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

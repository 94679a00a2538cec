package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.TransientStreamWriteException;

/**
 * A write that the database gives up on because another transaction holds the stream row's lock is a
 * conflict, whatever the append: also an {@code ANY} append whose events carry versions, where a stream at
 * another version means a wrong carried version instead.
 */
class TransientConflictTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aLockTimeoutOfAnAnyAppendWithCarriedVersionsIsAConflictNotAWrongVersion(TestDatabase database)
            throws Exception {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        EventStore store = StorageEventStore.builder(context.storage()).build();
        StreamId stream = StreamId.random();
        store.appendEvents(stream, 0, new NumberAdded(1), new NumberAdded(2));
        WrappedEvent<NumberAdded> third = WrappedEvent.wrap(new NumberAdded(3), 3L, Context.empty());

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService holder = Executors.newSingleThreadExecutor();
        Future<?> holding = holder.submit(() -> {
            try (Connection connection = database.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement lock = connection.prepareStatement(
                        "select version from es_stream where id = ? for update")) {
                    lock.setObject(1, StreamKeys.rowId(TenantId.DEFAULT, stream));
                    lock.executeQuery().close();
                }
                locked.countDown();
                release.await(60, TimeUnit.SECONDS);
                connection.rollback();
            }
            return null;
        });
        Throwable failure;
        try {
            locked.await(30, TimeUnit.SECONDS);
            Throwable[] thrown = new Throwable[1];
            context.transactions().executeWithoutResult(status -> {
                shortenLockWaits(context, database, true);
                try {
                    thrown[0] = catchThrowable(() -> store.append(stream, Versioning.ANY, List.of(third)));
                } finally {
                    shortenLockWaits(context, database, false);
                    status.setRollbackOnly();
                }
            });
            failure = thrown[0];
        } finally {
            release.countDown();
            holding.get(60, TimeUnit.SECONDS);
            holder.shutdown();
        }

        assertThat(failure).isInstanceOf(ConcurrentStreamWriteException.class)
                .isInstanceOf(TransientStreamWriteException.class)
                .hasMessageContaining("lock");
        // with the lock gone, the same append is admitted: its carried version was right all along
        store.append(stream, Versioning.ANY, List.of(third));
        assertThat(store.loadStream(stream)).extracting(WrappedEvent::version).containsExactly(1L, 2L, 3L);
    }

    /**
     * Makes this transaction's connection give up waiting for a lock quickly, or restores the default (on
     * PostgreSQL the setting ends with the transaction).
     */
    private static void shortenLockWaits(JpaTestContext context, TestDatabase database, boolean shorten) {
        switch (database) {
            case POSTGRESQL -> {
                if (shorten) {
                    context.jdbc.execute("set local lock_timeout = '300ms'");
                }
            }
            case MARIADB -> context.jdbc.execute("set session innodb_lock_wait_timeout = " + (shorten ? "1" : "default"));
            case H2 -> context.jdbc.execute("set lock_timeout " + (shorten ? "300" : "10000"));
        }
    }
}

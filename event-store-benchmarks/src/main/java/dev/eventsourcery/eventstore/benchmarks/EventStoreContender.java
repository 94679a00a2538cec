package dev.eventsourcery.eventstore.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.JacksonEventSerializer;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * This event store through its public API, on the JPA backend with its defaults, as the starter
 * configures it. Closing it stops the storage's threads (the log's sequencer and listener).
 */
final class EventStoreContender implements LogReader, AutoCloseable {

    /** Events per poll of S7's subscription. */
    static final int PAGE = 1000;

    private final JpaEventStorage storage;
    private final EventStore store;
    private final EventTypeRegistry registry = new EventTypeRegistry().register(MoneyDeposited.class);
    private final Database database;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    EventStoreContender(PersistenceUnit unit, Database database, DataSource dataSource) {
        this.storage = new JpaEventStorage(unit.entityManagerFactory(), unit.transactionManager());
        this.store = StorageEventStore.builder(storage)
                .registry(registry)
                .build();
        this.database = database;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public String name() {
        return Report.EVENT_STORE;
    }

    /** The JPA backend, whose data source and transaction manager P1's projections run on. */
    JpaEventStorage storage() {
        return storage;
    }

    /** The store's event type registry, which O1's outbox names the events' types with. */
    EventTypeRegistry registry() {
        return registry;
    }

    /** The store itself, for S8's subscribers and appends. */
    EventStore store() {
        return store;
    }

    @Override
    public void append(UUID stream, long expectedVersion, List<MoneyDeposited> events) {
        List<WrappedEvent<MoneyDeposited>> wrapped = new ArrayList<>(events.size());
        for (MoneyDeposited event : events) {
            wrapped.add(WrappedEvent.wrap(event));
        }
        store.append(StreamId.of(stream), expectedVersion, wrapped);
    }

    @Override
    public List<?> load(UUID stream) {
        return store.loadStream(StreamId.of(stream));
    }

    @Override
    public void completeLog(int events) {
        // position() numbers the committed events still pending first: after it, the whole log is readable
        long head = store.position().map(Position::value).orElse(0L);
        if (head != events) {
            throw new IllegalStateException("The event store's log ends at position " + head + ", not " + events
                    + ": S7 needs tables that hold nothing else");
        }
    }

    @Override
    public long readLog(int events) {
        long amounts = 0;
        int read = 0;
        try (Subscription subscription = store.subscribe().inAllTenants().build()) {
            while (read < events) {
                List<RecordedEvent<?>> page = subscription.poll(PAGE, Duration.ofSeconds(10));
                if (page.isEmpty()) {
                    throw new IllegalStateException("The event store's log ended after " + read + " of " + events
                            + " events");
                }
                for (RecordedEvent<?> event : page) {
                    amounts += ((MoneyDeposited) event.event()).amountInCents();
                }
                read += page.size();
            }
        }
        return amounts;
    }

    /**
     * Writes the events as the store's appends would have: stream rows, event rows and, numbered after every
     * position given so far, their log rows.
     */
    @Override
    public void fill(int streams, int eventsPerStream) {
        fill(streams, eventsPerStream, eventsPerStream);
    }

    /**
     * Writes the events as appends of {@code appendSize} events going round the streams would have (as S7's
     * appends do), so that the log interleaves the streams in runs of that many events; with
     * {@code eventsPerStream}, one stream after the other.
     */
    void fill(int streams, int eventsPerStream, int appendSize) {
        String streamId = database.fillStreamUuid("s.x");
        jdbc.update("insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) select "
                + streamId + ", '', " + streamId + ", null, 'fill', true, " + eventsPerStream + " from "
                + database.series(streams, "s"));
        String context = new JacksonEventSerializer().serializeContext(Context.empty());
        jdbc.update("insert into es_event (stream_id, tenant_id, version, event_uuid, event_type, payload, context, "
                + "created_at) select " + streamId + ", '', v.x, " + database.randomUuid() + ", 'MoneyDeposited', "
                + database.json(MoneyDeposited.jsonSql("v.x")) + ", " + database.json("'" + context + "'")
                + ", current_timestamp from " + database.series(streams, "s") + " cross join "
                + database.series(eventsPerStream, "v") + " order by "
                + (appendSize < eventsPerStream ? "(v.x - 1) / " + appendSize + ", " : "") + "s.x, v.x");
        // as the sequencer numbers events: under the lock of the head row, after the highest position given
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(status -> {
            long head = jdbc.queryForObject("select position from es_log_head where id = 1 for update", Long.class);
            int numbered = jdbc.update("insert into es_log (position, seq, tenant_id, category, event_type) select "
                    + head + " + row_number() over (order by e.seq), e.seq, e.tenant_id, s.category, e.event_type "
                    + "from es_event e join es_stream s on s.id = e.stream_id where s.category = 'fill'");
            jdbc.update("update es_log_head set position = ? where id = 1", head + numbered);
        });
    }

    @Override
    public List<String> tables() {
        return List.of("es_stream", "es_event", "es_log");
    }

    @Override
    public void close() {
        storage.close();
    }
}

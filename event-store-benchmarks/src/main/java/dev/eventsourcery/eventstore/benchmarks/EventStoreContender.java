package dev.eventsourcery.eventstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.JacksonEventSerializer;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * This event store through its public API, on the JPA backend with its defaults, as the starter
 * configures it.
 */
final class EventStoreContender implements Contender {

    private final EventStore store;
    private final Database database;
    private final JdbcTemplate jdbc;

    EventStoreContender(PersistenceUnit unit, Database database, DataSource dataSource) {
        this.store = StorageEventStore.builder(new JpaEventStorage(unit.entityManagerFactory(), unit.transactionManager()))
                .registry(new EventTypeRegistry().register(MoneyDeposited.class))
                .build();
        this.database = database;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public String name() {
        return "event store";
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
    public void fill(int streams, int eventsPerStream) {
        String streamId = database.fillStreamUuid("s.x");
        jdbc.update("insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) select "
                + streamId + ", '', " + streamId + ", null, 'fill', true, " + eventsPerStream + " from "
                + database.series(streams, "s"));
        String context = new JacksonEventSerializer().serializeContext(Context.empty());
        jdbc.update("insert into es_event (stream_id, tenant_id, version, event_uuid, event_type, payload, context, "
                + "created_at) select " + streamId + ", '', v.x, " + database.randomUuid() + ", 'MoneyDeposited', "
                + database.json(MoneyDeposited.jsonSql("v.x")) + ", " + database.json("'" + context + "'")
                + ", current_timestamp from " + database.series(streams, "s") + " cross join "
                + database.series(eventsPerStream, "v") + " order by s.x, v.x");
    }

    @Override
    public List<String> tables() {
        return List.of("es_stream", "es_event");
    }
}

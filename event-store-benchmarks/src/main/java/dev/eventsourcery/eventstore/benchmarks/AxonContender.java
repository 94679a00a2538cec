package dev.eventsourcery.eventstore.benchmarks;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.axonframework.common.jpa.SimpleEntityManagerProvider;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLErrorCodesResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * Axon Framework 4's event store: an {@link EmbeddedEventStore} on its {@link JpaEventStorageEngine}, with
 * its Jackson serializer, on the same persistence unit and Spring transaction manager as the event store.
 *
 * <p>Axon's expected-version check is its unique constraint on (aggregate, sequence number): an append at
 * a taken sequence number fails at insert, as an aggregate's concurrent modification does.
 */
final class AxonContender implements Contender {

    /** Axon's aggregate type, stored with every event. */
    private static final String AGGREGATE_TYPE = "Account";

    private final EmbeddedEventStore eventStore;
    private final Database database;
    private final JdbcTemplate jdbc;

    AxonContender(PersistenceUnit unit, Database database, DataSource dataSource) {
        Serializer serializer = JacksonSerializer.defaultSerializer();
        JpaEventStorageEngine engine;
        try {
            engine = JpaEventStorageEngine.builder()
                    .entityManagerProvider(new SimpleEntityManagerProvider(
                            SharedEntityManagerCreator.createSharedEntityManager(unit.entityManagerFactory())))
                    .transactionManager(new SpringTransactions(unit.transactionManager()))
                    .eventSerializer(serializer)
                    .snapshotSerializer(serializer)
                    .persistenceExceptionResolver(new SQLErrorCodesResolver(dataSource))
                    .build();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        this.eventStore = EmbeddedEventStore.builder().storageEngine(engine).build();
        this.database = database;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public String name() {
        return "Axon";
    }

    @Override
    public void append(UUID stream, long expectedVersion, List<MoneyDeposited> events) {
        String aggregate = stream.toString();
        List<DomainEventMessage<MoneyDeposited>> messages = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            // Axon's sequence numbers start at 0: the event after version v has sequence number v
            messages.add(new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregate, expectedVersion + i, events.get(i)));
        }
        eventStore.publish(messages);
    }

    @Override
    public List<?> load(UUID stream) {
        DomainEventStream events = eventStore.readEvents(stream.toString());
        List<DomainEventMessage<?>> loaded = new ArrayList<>();
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            // Axon deserializes lazily; the event store hands back deserialized events, so make Axon do it too
            event.getPayload();
            event.getMetaData();
            loaded.add(event);
        }
        return loaded;
    }

    @Override
    public void fill(int streams, int eventsPerStream) {
        long base = database.nextValue(jdbc, "domain_event_entry_seq") + 1000;
        jdbc.update("insert into domain_event_entry (global_index, aggregate_identifier, sequence_number, type, "
                + "event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) select "
                + base + " + (s.x - 1) * " + eventsPerStream + " + v.x, 'fill-' || cast(s.x as varchar), v.x - 1, '"
                + AGGREGATE_TYPE + "', cast(" + database.randomUuid() + " as varchar), " + database.bytes("'{}'") + ", "
                + database.bytes(MoneyDeposited.jsonSql("v.x")) + ", null, '" + MoneyDeposited.class.getName()
                + "', '2026-01-01T00:00:00Z' from " + database.series(streams, "s") + " cross join "
                + database.series(eventsPerStream, "v"));
        jdbc.execute("alter sequence domain_event_entry_seq restart with "
                + (base + (long) streams * eventsPerStream + 1000));
    }

    @Override
    public List<String> tables() {
        return List.of("domain_event_entry");
    }

    /** Stops the event store's background machinery. */
    void shutDown() {
        eventStore.shutDown();
    }

    /** Axon's transaction SPI on Spring's transaction manager, as Axon's Spring module does it. */
    private record SpringTransactions(PlatformTransactionManager transactionManager) implements TransactionManager {

        @Override
        public Transaction startTransaction() {
            TransactionStatus status = transactionManager.getTransaction(new DefaultTransactionDefinition());
            return new Transaction() {
                @Override
                public void commit() {
                    transactionManager.commit(status);
                }

                @Override
                public void rollback() {
                    transactionManager.rollback(status);
                }
            };
        }
    }
}

package dev.eventsourcery.eventstore.benchmarks;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.axonframework.common.jpa.SimpleEntityManagerProvider;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
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
 * a taken sequence number fails at insert, as an aggregate's concurrent modification does. Its log is the
 * global index of its events, read through tracking event streams ({@code openStream}) with gap-aware
 * tracking tokens, as its tracking event processors read it.
 */
final class AxonContender implements LogReader {

    /** Axon's aggregate type, stored with every event. */
    private static final String AGGREGATE_TYPE = "Account";

    private final EmbeddedEventStore eventStore;
    private final Database database;
    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final SimpleEntityManagerProvider entityManagerProvider;
    private final TransactionManager transactions;

    AxonContender(PersistenceUnit unit, Database database, DataSource dataSource) {
        this.serializer = JacksonSerializer.defaultSerializer();
        this.entityManagerProvider = new SimpleEntityManagerProvider(
                SharedEntityManagerCreator.createSharedEntityManager(unit.entityManagerFactory()));
        this.transactions = new SpringTransactions(unit.transactionManager());
        JpaEventStorageEngine engine;
        try {
            engine = JpaEventStorageEngine.builder()
                    .entityManagerProvider(entityManagerProvider)
                    .transactionManager(transactions)
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
        return Report.AXON;
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

    /** Axon's events are in its log when they commit: checks only that it holds nothing else. */
    @Override
    public void completeLog(int events) {
        long stored = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
        if (stored != events) {
            throw new IllegalStateException("Axon's log holds " + stored + " events, not " + events
                    + ": S7 needs tables that hold nothing else");
        }
    }

    /** A tracking event stream from the start (no token), as a new tracking event processor opens it. */
    @Override
    public long readLog(int events) {
        long amounts = 0;
        try (TrackingEventStream stream = eventStore.openStream(null)) {
            for (int read = 0; read < events; read++) {
                if (!stream.hasNextAvailable(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Axon's log ended after " + read + " of " + events + " events");
                }
                TrackedEventMessage<?> event = stream.nextAvailable();
                // deserialized lazily: make Axon do it, as a handler would
                amounts += ((MoneyDeposited) event.getPayload()).amountInCents();
                event.getMetaData();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return amounts;
    }

    /** S8: a tracking event stream from the head, which Axon feeds from its producer thread after each local commit. */
    DeliveryLatency.Subscriber subscriber(UUID stream) {
        TrackingEventStream events = eventStore.openStream(eventStore.createHeadToken());
        String aggregate = stream.toString();
        return new DeliveryLatency.Subscriber() {
            @Override
            public List<Long> await(Duration limit) throws InterruptedException {
                List<Long> samples = new ArrayList<>();
                if (events.hasNextAvailable((int) limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    do {
                        TrackedEventMessage<?> event = events.nextAvailable();
                        event.getPayload();
                        event.getMetaData();
                        if (event instanceof DomainEventMessage<?> domainEvent
                                && aggregate.equals(domainEvent.getAggregateIdentifier())) {
                            samples.add(domainEvent.getSequenceNumber());
                        }
                    } while (events.hasNextAvailable(0, TimeUnit.MILLISECONDS));
                }
                return samples;
            }

            @Override
            public void close() {
                events.close();
            }
        };
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

    /** The event store itself, the message source of P1's tracking event processor. */
    EmbeddedEventStore eventStore() {
        return eventStore;
    }

    /** Axon's serializer, also its token store's. */
    Serializer serializer() {
        return serializer;
    }

    /** The shared entity manager of the persistence unit, as Axon's JPA components take it. */
    SimpleEntityManagerProvider entityManagerProvider() {
        return entityManagerProvider;
    }

    /** Axon's transaction SPI on the unit's Spring transaction manager. */
    TransactionManager transactions() {
        return transactions;
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

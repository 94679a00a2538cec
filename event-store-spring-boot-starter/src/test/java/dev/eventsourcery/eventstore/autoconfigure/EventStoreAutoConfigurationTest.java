package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.EntityType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.TenantResolver;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.LedgerEntry;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;
import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.serialization.EventSerializer;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;
import dev.eventsourcery.eventstore.serialization.JacksonEventSerializer;
import dev.eventsourcery.eventstore.storage.EventStorage;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/** What the starter creates under which conditions. */
class EventStoreAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, EventStoreEntitiesAutoConfiguration.class,
                    EventSerializationAutoConfiguration.class, EventStoreAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("spring.datasource.generate-unique-name=true");

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = LedgerEntry.class)
    static class ApplicationPackage {
    }

    @Configuration(proxyBeanMethods = false)
    @EntityScan(basePackageClasses = LedgerEntry.class)
    static class ApplicationWithEntityScan {
    }

    @Test
    void createsAWorkingEventStoreOnEmbeddedH2() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(EventStore.class).hasSingleBean(JpaEventStorage.class)
                    .hasSingleBean(EventStoreSchemaInitializer.class).hasSingleBean(TenantResolver.class);
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.named("account-1");
            WrappedEvent<MoneyDeposited> event = WrappedEvent.wrap(new MoneyDeposited("account-1", 10));

            store.append(stream, event);

            assertThat(store.loadStream(stream)).containsExactly(event.withVersion(1L));
            assertThat(context.getBean(TenantResolver.class).currentTenant()).isEqualTo(TenantId.DEFAULT);
        });
    }

    @Test
    void theInjectedStoresSubscriptionReadsTheLogInTheTenantResolvedWhenSubscribing() {
        AtomicReference<TenantId> current = new AtomicReference<>(TenantId.of("acme"));
        runner.withBean(TenantResolver.class, () -> current::get).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.appendEvents(StreamId.random(), 0, new MoneyDeposited("acme-account", 1));
            try (Subscription acme = store.subscribe().build()) {
                current.set(TenantId.of("globex"));
                store.appendEvents(StreamId.random(), 0, new MoneyDeposited("globex-account", 2));

                assertThat(acme.poll(10, java.time.Duration.ofSeconds(5))).extracting(event -> (Object) event.event())
                        .containsExactly(new MoneyDeposited("acme-account", 1));
                assertThat(acme.poll(10, java.time.Duration.ofMillis(300))).isEmpty();
            }
            assertThat(store.subscribe().inAllTenants().build().poll(10, java.time.Duration.ofSeconds(5)))
                    .extracting(RecordedEvent::tenantId).containsExactly(TenantId.of("acme"), TenantId.of("globex"));
        });
    }

    @Test
    void entitiesJoinTheApplicationsPersistenceUnitWithoutEntityScan() {
        runner.run(context -> assertThat(entityNames(context))
                .contains("LedgerEntry", "EventStoreStream", "EventStoreEvent", "EventStoreSnapshot"));
    }

    @Test
    void entitiesJoinTheApplicationsPersistenceUnitWithEntityScan() {
        runner.withUserConfiguration(ApplicationWithEntityScan.class).run(context -> {
            assertThat(entityNames(context))
                    .contains("LedgerEntry", "EventStoreStream", "EventStoreEvent", "EventStoreSnapshot");
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
            assertThat(store.loadStream(stream)).hasSize(1);
        });
    }

    @Test
    void backsOffFromTheApplicationsEventStore() {
        EventStore own = StorageEventStore.builder(new InMemoryEventStorage()).build();
        runner.withBean(EventStore.class, () -> own).run(context ->
                assertThat(context).getBean(EventStore.class).isSameAs(own));
    }

    @Test
    void backsOffFromTheApplicationsStorage() {
        InMemoryEventStorage own = new InMemoryEventStorage();
        runner.withBean(EventStorage.class, () -> own).run(context -> {
            assertThat(context).doesNotHaveBean(JpaEventStorage.class).getBean(EventStorage.class).isSameAs(own);
            StreamId stream = StreamId.random();
            context.getBean(EventStore.class).appendEvents(stream, 0, new MoneyDeposited("a", 1));
            assertThat(own.read(TenantId.DEFAULT, stream, null, null).events()).hasSize(1);
        });
    }

    @Test
    void backsOffFromTheApplicationsRegistrySerializerResolverAndSchemaInitializer() {
        EventTypeRegistry registry = new EventTypeRegistry();
        EventSerializer serializer = new JacksonEventSerializer();
        TenantResolver resolver = () -> TenantId.of("own");
        runner.withBean(EventTypeRegistry.class, () -> registry)
                .withBean(EventSerializer.class, () -> serializer)
                .withBean(TenantResolver.class, () -> resolver)
                .withUserConfiguration(OwnSchemaInitializer.class)
                .run(context -> {
                    assertThat(context).getBean(EventTypeRegistry.class).isSameAs(registry);
                    assertThat(context).getBean(EventSerializer.class).isSameAs(serializer);
                    assertThat(context).getBean(TenantResolver.class).isSameAs(resolver);
                    assertThat(context).getBeans(EventStoreSchemaInitializer.class).containsOnlyKeys("ownInitializer");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSchemaInitializer {
        @Bean
        EventStoreSchemaInitializer ownInitializer(javax.sql.DataSource dataSource) {
            return new EventStoreSchemaInitializer(dataSource, new EventStoreProperties.Jdbc());
        }
    }

    @Test
    void disabledByProperty() {
        runner.withPropertyValues("event-store.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(EventStore.class).doesNotHaveBean(EventStorage.class)
                    .doesNotHaveBean(EventStoreSchemaInitializer.class).doesNotHaveBean(EventTypeRegistry.class);
            assertThat(entityNames(context)).contains("LedgerEntry").doesNotContain("EventStoreEvent");
        });
    }

    @Test
    void embeddedModeCreatesTheSchemaOnH2() {
        // Hibernate creates no tables here: the ones found come from the event store's script
        runner.withPropertyValues("spring.jpa.hibernate.ddl-auto=none").run(context -> {
            assertThat(tables(context)).contains("ES_STREAM", "ES_EVENT", "ES_SNAPSHOT").doesNotContain("LEDGER_ENTRY");
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
            assertThat(store.loadStream(stream)).hasSize(1);
        });
    }

    @Test
    void neverModeLeavesTheSchemaToTheApplication() {
        runner.withPropertyValues("event-store.jdbc.initialize-schema=never", "spring.jpa.hibernate.ddl-auto=none",
                "event-store.jdbc.check-schema=false")
                .run(context -> assertThat(tables(context)).doesNotContain("ES_STREAM", "ES_EVENT", "ES_SNAPSHOT"));
        // with the start-up check (the default), the missing tables stop the start
        runner.withPropertyValues("event-store.jdbc.initialize-schema=never", "spring.jpa.hibernate.ddl-auto=none")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("event-store.jdbc.initialize-schema=never", "spring.jpa.hibernate.ddl-auto=validate")
                .run(context -> assertThat(context).hasFailed());
    }

    @ParameterizedTest
    @EnumSource(DatabaseServer.class)
    void alwaysModeCreatesTheSchemaOnAServerWhereEmbeddedModeDoesNot(DatabaseServer server) {
        server.assumeReachable();
        ApplicationContextRunner onServer = runner.withPropertyValues(server.properties())
                .withPropertyValues("spring.jpa.hibernate.ddl-auto=none");
        dropSchema(onServer);

        onServer.withPropertyValues("event-store.jdbc.check-schema=false")
                .run(context -> assertThat(serverTables(context)).doesNotContain("es_event"));
        onServer.withPropertyValues("event-store.jdbc.initialize-schema=always").run(context -> {
            assertThat(serverTables(context)).contains("es_stream", "es_event", "es_snapshot");
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1));
            assertThat(store.loadStream(stream)).hasSize(1);
        });
        // the scripts are idempotent: always mode runs again over an existing schema
        onServer.withPropertyValues("event-store.jdbc.initialize-schema=always")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void schemaPlatformIsDetectedFromTheDataSourceOrTakenFromTheProperty() {
        runner.run(context -> {
            EventStoreProperties.Jdbc jdbc = new EventStoreProperties.Jdbc();
            javax.sql.DataSource dataSource = context.getBean(javax.sql.DataSource.class);
            assertThat(EventStoreSchemaInitializer.settings(dataSource, jdbc).getSchemaLocations())
                    .containsExactly("classpath:dev/eventsourcery/eventstore/jpa/schema-h2.sql");
            jdbc.setPlatform("mariadb");
            assertThat(EventStoreSchemaInitializer.settings(dataSource, jdbc).getSchemaLocations())
                    .containsExactly("classpath:dev/eventsourcery/eventstore/jpa/schema-mariadb.sql");
        });
    }

    @Test
    void applicationJsonMapperLendsItsModulesButNotItsSettingsToEvents() {
        JsonMapper applicationMapper = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new SimpleModule("item-count").addSerializer(Integer.TYPE, new ItemCountSerializer()))
                .build();
        runner.withBean(JsonMapper.class, () -> applicationMapper).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new SnakeCased("x", 3));

            String payload = jdbc(context).queryForObject("select payload from es_event", String.class);
            assertThat(payload).contains("firstName", "\"itemCount\":\"3\"").doesNotContain("first_name");
            assertThat(store.loadStream(stream).get(0).event()).isEqualTo(new SnakeCased("x", 3));
        });
    }

    /** Writes ints as strings, which Jackson reads back into an int. */
    private static final class ItemCountSerializer extends StdSerializer<Integer> {

        ItemCountSerializer() {
            super(Integer.class);
        }

        @Override
        public void serialize(Integer value, JsonGenerator generator, SerializationContext context) {
            generator.writeString(value.toString());
        }
    }

    record SnakeCased(String firstName, int itemCount) {
    }

    @Test
    void bootsJacksonSettingsDoNotChangeTheStoredJson() {
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE")
                .run(context -> {
                    EventStore store = context.getBean(EventStore.class);
                    store.appendEvents(StreamId.random(), 0, new SnakeCased("y", 1));
                    assertThat(jdbc(context).queryForObject("select payload from es_event",
                            String.class)).contains("itemCount").doesNotContain("item_count");
                });
    }

    @Test
    void applicationTenantResolverChoosesTheTenantOnEveryCall() {
        AtomicReference<TenantId> current = new AtomicReference<>(TenantId.of("acme"));
        runner.withBean(TenantResolver.class, () -> current::get).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new MoneyDeposited("a", 1));

            current.set(TenantId.of("globex"));
            assertThat(store.loadStream(stream)).isEmpty();
            store.appendEvents(stream, 0, new MoneyDeposited("g", 2), new MoneyDeposited("g", 3));

            current.set(TenantId.of("acme"));
            assertThat(store.loadStream(stream)).hasSize(1);
            assertThat(store.scopedForTenant("globex").loadStream(stream)).hasSize(2);
            assertThat(store.scopedForTenant().loadStream(stream)).isEmpty();
        });
    }

    @Test
    void applicationEventTypesAreRegisteredAtStartUpSoEarlierStreamsLoad() {
        ApplicationContextRunner shared = runner.withPropertyValues(
                "spring.datasource.generate-unique-name=false", "spring.datasource.name=shared-" + System.nanoTime(),
                "spring.datasource.url=jdbc:h2:mem:shared-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "spring.jpa.hibernate.ddl-auto=none");
        StreamId stream = StreamId.named("written-before");
        shared.run(context -> {
            assertThat(context.getBean(EventTypeRegistry.class).classOf("ledger.MoneyDeposited")).contains(MoneyDeposited.class);
            context.getBean(EventStore.class).appendEvents(stream, 0, new MoneyDeposited("b", 5));
        });
        // a freshly started application has appended nothing, yet loads the stream
        shared.run(context -> assertThat(context.getBean(EventStore.class).loadStream(stream))
                .singleElement().extracting(WrappedEvent::event).isEqualTo(new MoneyDeposited("b", 5)));
    }

    @Test
    void propertiesConfigureTheJpaBackend() {
        runner.withPropertyValues("event-store.jpa.batch-size=25", "event-store.jpa.fetch-size=40",
                "event-store.log.poll-interval=250ms").run(context -> {
            JpaEventStorage storage = context.getBean(JpaEventStorage.class);
            assertThat(storage.batchSize()).isEqualTo(25);
            assertThat(storage.fetchSize()).isEqualTo(40);
            assertThat(storage.pollInterval()).isEqualTo(java.time.Duration.ofMillis(250));
        });
    }

    @Test
    void maxEventSizePropertyRefusesLargerEventsBeforeWritingAndDefaultsToOneMebibyte() throws Exception {
        runner.withPropertyValues("event-store.max-event-size=1KB").run(context -> {
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.named("size-limited");

            assertThatThrownBy(() -> store.appendEvents(stream, 0, new MoneyDeposited("x".repeat(1024), 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maximum event size of 1024 bytes");
            assertThat(store.loadStream(stream)).isEmpty();

            store.appendEvents(stream, 0, new MoneyDeposited("x".repeat(900), 1));
            assertThat(store.loadStream(stream)).hasSize(1);
        });
        runner.run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.appendEvents(StreamId.named("default-limit"), 0, new MoneyDeposited("x".repeat(1_000_000), 1));
            assertThatThrownBy(() -> store.appendEvents(StreamId.named("default-limit"), 1,
                    new MoneyDeposited("x".repeat(1024 * 1024), 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maximum event size of 1048576 bytes");
        });
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonMapper.builder().build().readTree(in);
        }
        assertThat(metadata.get("properties").valueStream()
                .filter(property -> property.get("name").asString().equals("event-store.max-event-size"))
                .findFirst()).hasValueSatisfying(property -> {
                    assertThat(property.get("description").asString()).contains("Largest event");
                    assertThat(property.get("defaultValue").asString()).isEqualTo("1MB");
                });
    }

    @Test
    void configurationMetadataDocumentsEveryPropertyWithItsDefault() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonMapper.builder().build().readTree(in);
        }
        Map<String, JsonNode> properties = metadata.get("properties").valueStream()
                .collect(Collectors.toMap(property -> property.get("name").asString(), property -> property));

        assertThat(properties).containsKeys("event-store.enabled", "event-store.jdbc.initialize-schema",
                "event-store.jdbc.platform", "event-store.jdbc.schema", "event-store.jpa.batch-size",
                "event-store.jpa.fetch-size", "event-store.event-types.packages", "event-store.transaction-manager",
                "event-store.log.poll-interval");
        assertThat(properties.values()).allSatisfy(property -> assertThat(property.path("description").asString()).isNotBlank());
        assertThat(properties.get("event-store.enabled").get("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("event-store.jpa.batch-size").get("defaultValue").asInt()).isEqualTo(100);
        assertThat(properties.get("event-store.jdbc.initialize-schema").get("defaultValue").asString()).isEqualTo("embedded");
    }

    private static JdbcTemplate jdbc(AssertableApplicationContext context) {
        return new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
    }

    private static List<String> entityNames(AssertableApplicationContext context) {
        return context.getBean(EntityManagerFactory.class).getMetamodel().getEntities().stream()
                .map(EntityType::getName).toList();
    }

    private static List<String> tables(AssertableApplicationContext context) {
        return jdbc(context).queryForList(
                "select table_name from information_schema.tables where table_schema = 'PUBLIC'", String.class);
    }

    private static List<String> serverTables(AssertableApplicationContext context) {
        // current_schema() on PostgreSQL, database() on MariaDB
        String schema = jdbc(context).queryForObject("select " + (isMariaDb(context) ? "database()" : "current_schema()"),
                String.class);
        return jdbc(context).queryForList("select lower(table_name) from information_schema.tables where table_schema = ?",
                String.class, schema);
    }

    private static boolean isMariaDb(AssertableApplicationContext context) {
        return context.getEnvironment().getProperty("spring.datasource.url", "").startsWith("jdbc:mariadb");
    }

    private static void dropSchema(ApplicationContextRunner onServer) {
        onServer.withPropertyValues("event-store.jdbc.initialize-schema=never", "event-store.jdbc.check-schema=false")
                .run(context -> {
            JdbcTemplate jdbc = jdbc(context);
            // every table of the store: a log left behind would hold positions of events that no longer exist
            for (String statement : List.of("drop table if exists es_dead_letter", "drop table if exists es_projection",
                    "drop table if exists es_deleted", "drop table if exists es_log_head", "drop table if exists es_log",
                    "drop table if exists es_pending",
                    "drop table if exists es_snapshot", "drop table if exists es_event", "drop table if exists es_stream",
                    "drop sequence if exists es_event_position_seq")) {
                jdbc.execute(statement);
            }
        });
    }
}

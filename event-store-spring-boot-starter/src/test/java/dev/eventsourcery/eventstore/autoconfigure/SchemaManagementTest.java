package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import liquibase.Scope;
import liquibase.changelog.FastCheckService;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;

/**
 * The event store's tables created the three ways the README names — the starter's scripts, the shipped
 * Flyway migrations, the shipped Liquibase changelog — in Boot applications on real databases, with
 * Hibernate validating the result, and tables of an earlier schema version upgraded by each; and the
 * start-up failures that name what is wrong when the tables are missing, lack the columns of a later schema
 * version, or the database cannot be reached.
 */
class SchemaManagementTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                    LiquibaseAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
                    EventStoreEntitiesAutoConfiguration.class, EventSerializationAutoConfiguration.class,
                    EventStoreAutoConfiguration.class))
            .withUserConfiguration(ApplicationPackage.class)
            .withPropertyValues("event-store.jdbc.initialize-schema=never", "spring.jpa.hibernate.ddl-auto=validate",
                    "spring.flyway.enabled=false", "spring.liquibase.enabled=false");

    /** An application with no entities of its own, so that Hibernate's validation checks the event store's. */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackages = "dev.eventsourcery.eventstore.autoconfigure.noentities")
    static class ApplicationPackage {
    }

    @ParameterizedTest
    @EnumSource(DatabaseServer.class)
    void flywayMigrationsCreateTheTables(DatabaseServer server) {
        server.assumeReachable();
        runner.withPropertyValues(onNewDatabase(server))
                .withPropertyValues("spring.flyway.enabled=true",
                        "spring.flyway.locations=classpath:db/event-store/flyway/{vendor}")
                .run(context -> {
                    assertTheStoreWorks(context);
                    assertThat(jdbc(context).queryForList("select version from flyway_schema_history where success order by installed_rank",
                            String.class)).containsExactly("0.1", "0.2", "0.3", "0.4");
                });
    }

    @ParameterizedTest
    @EnumSource(DatabaseServer.class)
    void theLiquibaseChangelogCreatesTheTables(DatabaseServer server) {
        server.assumeReachable();
        runner.withPropertyValues(onNewDatabase(server))
                .withPropertyValues("spring.liquibase.enabled=true",
                        "spring.liquibase.change-log=classpath:db/event-store/liquibase/changelog.xml")
                .run(context -> {
                    assertTheStoreWorks(context);
                    // Liquibase names its table in upper case, which MariaDB keeps
                    String table = server == DatabaseServer.MARIADB ? "DATABASECHANGELOG" : "databasechangelog";
                    assertThat(jdbc(context).queryForList("select id from " + table, String.class))
                            .containsExactly("event-store-0.1-" + server.name().toLowerCase(),
                                    "event-store-0.2-" + server.name().toLowerCase(),
                                    "event-store-0.3-" + server.name().toLowerCase(),
                                    "event-store-0.4-" + server.name().toLowerCase());
                });
    }

    @Test
    void flywayOnH2() {
        runner.withPropertyValues("spring.datasource.generate-unique-name=true", "spring.flyway.enabled=true",
                "spring.flyway.locations=classpath:db/event-store/flyway/{vendor}").run(this::assertTheStoreWorks);
    }

    @Test
    void liquibaseOnH2() {
        runner.withPropertyValues("spring.datasource.generate-unique-name=true", "spring.liquibase.enabled=true",
                "spring.liquibase.change-log=classpath:db/event-store/liquibase/changelog.xml")
                .run(this::assertTheStoreWorks);
    }

    @Test
    void missingTablesStopTheStartNamingThemAndTheWaysToCreateThem() {
        runner.withPropertyValues("spring.datasource.generate-unique-name=true", "spring.jpa.hibernate.ddl-auto=none")
                .run(context -> {
                    assertThat(context).hasFailed();
                    String message = rootCause(context.getStartupFailure()).getMessage();
                    assertThat(message).contains(EventStoreSchemaCheck.TABLES)
                            .contains("event-store.jdbc.initialize-schema=always")
                            .contains("spring.flyway.locations", "classpath:db/event-store/flyway/{vendor}")
                            .contains("classpath:db/event-store/liquibase/changelog.xml");
                });
    }

    @ParameterizedTest
    @EnumSource(DatabaseServer.class)
    void missingTablesOnAServerStopTheStart(DatabaseServer server) {
        server.assumeReachable();
        runner.withPropertyValues(onNewDatabase(server)).withPropertyValues("spring.jpa.hibernate.ddl-auto=none")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context.getStartupFailure()).getMessage())
                            .contains(EventStoreSchemaCheck.TABLES).contains("do not exist");
                });
    }

    @Test
    void theCheckCanBeSwitchedOff() {
        runner.withPropertyValues("spring.datasource.generate-unique-name=true", "spring.jpa.hibernate.ddl-auto=none",
                "event-store.jdbc.check-schema=false").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aMissingDatabaseIsNamedAsTheCause(@TempDir Path directory) {
        String url = "jdbc:h2:file:" + directory.resolve("absent").resolve("db") + ";IFEXISTS=TRUE";
        runner.withPropertyValues("spring.datasource.url=" + url).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).noneMatch(m -> m.contains("DatabaseDriver"));
            assertThat(rootCause(context.getStartupFailure()).getMessage()).contains("not found");
            assertThat(messages(context.getStartupFailure())).anyMatch(m -> m.startsWith(
                    "Cannot connect to the application's database at " + url));
        });
    }

    @Test
    void aServerThatIsNotThereIsNamedAsTheCause() {
        DatabaseServer.POSTGRESQL.assumeReachable();
        String url = "jdbc:postgresql://127.0.0.1:5432/es_no_such_database_" + UUID.randomUUID().toString().replace("-", "");
        runner.withPropertyValues("spring.datasource.url=" + url, "spring.datasource.username=" + DatabaseServer.POSTGRESQL.user())
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure())).noneMatch(m -> m.contains("DatabaseDriver"))
                            .anyMatch(m -> m.contains("Cannot connect to the application's database at " + url)
                                    && m.contains("does not exist"));
                });
    }

    /** The ways the README names to create the event store's tables. */
    enum SchemaTool { SCRIPT, FLYWAY, LIQUIBASE }

    static Stream<Arguments> toolsAndDatabases() {
        List<DatabaseServer> databases = new java.util.ArrayList<>();
        databases.add(null);
        databases.addAll(List.of(DatabaseServer.values()));
        return Stream.of(SchemaTool.values()).flatMap(tool -> databases.stream().map(database -> Arguments.of(tool,
                database == null ? "H2" : database)));
    }

    /**
     * Tables created at schema version 0.2 (before every event kept its schema version), holding an event and a
     * snapshot: the start stops naming the columns they lack until the tool that created them upgrades them,
     * which gives the stored rows schema version 1.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("toolsAndDatabases")
    void tablesOfTheEarlierSchemaVersionAreUpgradedByTheToolThatCreatedThem(SchemaTool tool, Object database) {
        DatabaseServer server = database instanceof DatabaseServer onServer ? onServer : null;
        if (server != null) {
            server.assumeReachable();
        }
        ApplicationContextRunner onDatabase = runner.withPropertyValues(server == null
                ? new String[] {"spring.datasource.url=jdbc:h2:mem:upgrade-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"}
                : onNewDatabase(server));
        String[] earlier = switch (tool) {
            case SCRIPT -> new String[0];
            case FLYWAY -> new String[] {"spring.flyway.enabled=true", "spring.flyway.target=0.2",
                    "spring.flyway.locations=classpath:db/event-store/flyway/{vendor}"};
            case LIQUIBASE -> new String[] {"spring.liquibase.enabled=true",
                    "spring.liquibase.change-log=classpath:earlier-schema/liquibase-changelog-0.2.xml"};
        };
        String[] current = switch (tool) {
            case SCRIPT -> new String[] {"event-store.jdbc.initialize-schema=always"};
            case FLYWAY -> new String[] {"spring.flyway.enabled=true",
                    "spring.flyway.locations=classpath:db/event-store/flyway/{vendor}"};
            case LIQUIBASE -> new String[] {"spring.liquibase.enabled=true",
                    "spring.liquibase.change-log=classpath:db/event-store/liquibase/changelog.xml"};
        };
        UUID event = UUID.randomUUID();
        UUID snapshot = UUID.randomUUID();

        onDatabase.withPropertyValues(earlier)
                .withPropertyValues("spring.jpa.hibernate.ddl-auto=none", "event-store.jdbc.check-schema=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    if (tool == SchemaTool.SCRIPT) {
                        String folder = "db/event-store/flyway/" + (server == null ? "h2" : server.name().toLowerCase());
                        new ResourceDatabasePopulator(new ClassPathResource(folder + "/V0_1__event_store_schema.sql"),
                                new ClassPathResource(folder + "/V0_2__projections.sql"))
                                .execute(context.getBean(DataSource.class));
                    }
                    storeAsTheEarlierVersionDid(jdbc(context), server == null, event, snapshot);
                });

        onDatabase.withPropertyValues(earlier).withPropertyValues("spring.jpa.hibernate.ddl-auto=none")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context.getStartupFailure()).getMessage())
                            .contains(EventStoreSchemaCheck.COLUMNS).contains(EventStoreSchemaCheck.LATER_TABLES)
                            .contains("event-store.jdbc.initialize-schema=always", "classpath:db/event-store/flyway/{vendor}",
                                    "classpath:db/event-store/liquibase/changelog.xml");
                });

        // Liquibase remembers in this JVM that the changelog at that path was up to date on this database; an
        // application upgraded to a later version of the event store starts without that memory
        Scope.getCurrentScope().getSingleton(FastCheckService.class).clearCache();
        onDatabase.withPropertyValues(current).run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate jdbc = jdbc(context);
            assertThat(jdbc.queryForObject("select schema_version from es_event where event_uuid = ?", Integer.class,
                    event)).isEqualTo(1);
            assertThat(jdbc.queryForObject("select schema_version from es_snapshot where snapshot_uuid = ?",
                    Integer.class, snapshot)).isEqualTo(1);
            EventStore store = context.getBean(EventStore.class);
            StreamId stream = StreamId.random();
            store.appendEvents(stream, 0, new MoneyDeposited("a", 5));
            assertThat(store.loadStream(stream).stream().map(WrappedEvent::event).map(Object.class::cast).toList())
                    .containsExactly(new MoneyDeposited("a", 5));
            if (tool == SchemaTool.FLYWAY) {
                // Flyway quotes its lower-case names, which H2 keeps as they are; on H2 it records creating the
                // schema, without a version
                String history = server == null ? "select \"version\" from \"flyway_schema_history\" where \"success\" "
                        + "and \"version\" is not null order by \"installed_rank\""
                        : "select version from flyway_schema_history where success order by installed_rank";
                assertThat(jdbc.queryForList(history, String.class)).containsExactly("0.1", "0.2", "0.3", "0.4");
            }
            if (tool == SchemaTool.LIQUIBASE) {
                String table = server == DatabaseServer.MARIADB ? "DATABASECHANGELOG" : "databasechangelog";
                String platform = server == null ? "h2" : server.name().toLowerCase();
                assertThat(jdbc.queryForList("select id from " + table + " order by orderexecuted", String.class))
                        .as("the earlier change sets are not run again").containsExactly("event-store-0.1-" + platform,
                                "event-store-0.2-" + platform, "event-store-0.3-" + platform,
                                "event-store-0.4-" + platform);
            }
        });
    }

    /** A stream row, an event and a snapshot of it, with the columns schema version 0.2 had. */
    private static void storeAsTheEarlierVersionDid(JdbcTemplate jdbc, boolean h2, UUID event, UUID snapshot) {
        // H2 reads a character string as a JSON string value; the JSON text goes in as JSON
        String json = h2 ? "'{}' format json" : "'{}'";
        UUID stream = UUID.randomUUID();
        jdbc.update("insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
                + "values (?, '', ?, null, '', true, 1)", stream, UUID.randomUUID());
        jdbc.update("insert into es_event (stream_id, tenant_id, version, event_uuid, event_type, payload, context, "
                + "created_at) values (?, '', 1, ?, 'Earlier', " + json + ", " + json + ", current_timestamp)",
                stream, event);
        jdbc.update("insert into es_snapshot (stream_id, version, tenant_id, snapshot_uuid, event_type, payload, "
                + "context, created_at) values (?, 1, '', ?, 'Earlier', " + json + ", " + json + ", current_timestamp)",
                stream, snapshot);
    }

    private void assertTheStoreWorks(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        EventStore store = context.getBean(EventStore.class);
        StreamId stream = StreamId.random();
        store.appendEvents(stream, 0, new MoneyDeposited("a", 5));
        List<Object> loaded = store.loadStream(stream).stream().map(WrappedEvent::event).map(Object.class::cast).toList();
        assertThat(loaded).containsExactly(new MoneyDeposited("a", 5));
        List<Object> logged = store.subscribe().build().poll(10, java.time.Duration.ofSeconds(5)).stream()
                .map(RecordedEvent::event).map(Object.class::cast).toList();
        assertThat(logged).containsExactly(new MoneyDeposited("a", 5));
    }

    private static JdbcTemplate jdbc(AssertableApplicationContext context) {
        return new JdbcTemplate(context.getBean(DataSource.class));
    }

    private static String[] onNewDatabase(DatabaseServer server) {
        return new String[] {"spring.datasource.url=" + server.newDatabaseUrl(),
                "spring.datasource.username=" + server.user(), "spring.datasource.password=" + server.password()};
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static List<String> messages(Throwable failure) {
        return Stream.iterate(failure, t -> t != null, Throwable::getCause).map(t -> String.valueOf(t.getMessage()))
                .toList();
    }
}

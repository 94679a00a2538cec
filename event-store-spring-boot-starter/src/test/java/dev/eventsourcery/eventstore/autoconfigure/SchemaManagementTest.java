package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.testapp.MoneyDeposited;

/**
 * The event store's tables created the three ways the README names — the starter's scripts, the shipped
 * Flyway migrations, the shipped Liquibase changelog — in Boot applications on real databases, with
 * Hibernate validating the result; and the start-up failures that name what is wrong when the tables are
 * missing or the database cannot be reached.
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
                            String.class)).containsExactly("0.1", "0.2", "0.3");
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
                                    "event-store-0.3-" + server.name().toLowerCase());
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

package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest;
import dev.eventsourcery.eventstore.testing.ServerSettings;
import dev.eventsourcery.eventstore.testing.TestServer;

/**
 * The account service's tests on the starter's JPA store, on PostgreSQL: in a database of this test run's own
 * on the server of {@code EVENT_STORE_POSTGRESQL_URL} (by default the local one), chosen by the property rather
 * than the annotation's attribute. Skipped with a message when the server is unreachable; failing under
 * {@code CI=true}.
 */
@EventStoreTest(properties = {"event-store.test.backend=jpa", "event-store.jdbc.initialize-schema=always"})
class AccountServiceOnPostgreSqlTest extends AccountServiceTest {

    private static final TestServer POSTGRESQL = new TestServer(ServerSettings.fromEnvironment(
            "EVENT_STORE_POSTGRESQL_URL", "EVENT_STORE_POSTGRESQL_USER", "EVENT_STORE_POSTGRESQL_PASSWORD",
            "jdbc:postgresql://127.0.0.1:5432/test", "postgres"));

    @BeforeAll
    static void assumeReachable() {
        POSTGRESQL.assumeReachable();
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry properties) {
        properties.add("spring.datasource.url", POSTGRESQL::url);
        properties.add("spring.datasource.username", POSTGRESQL::user);
        properties.add("spring.datasource.password", POSTGRESQL::password);
    }

    @Override
    void assertBackend(ApplicationContext context) {
        assertThat(context.getBean(JpaEventStorage.class)).isNotNull();
        assertThat(AccountServiceOnH2Test.url(context.getBean(DataSource.class))).startsWith("jdbc:postgresql:");
    }
}

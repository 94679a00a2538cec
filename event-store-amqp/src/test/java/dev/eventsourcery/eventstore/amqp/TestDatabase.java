package dev.eventsourcery.eventstore.amqp;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.testing.ServerSettings;
import dev.eventsourcery.eventstore.testing.TestServer;

/**
 * The databases an outbox test runs its application on: embedded H2, and PostgreSQL and MariaDB when reachable
 * (skipped with a message otherwise, failing under {@code CI=true}), in this test run's own database there
 * ({@code EVENT_STORE_POSTGRESQL_URL} or {@code EVENT_STORE_MARIADB_URL}, {@code _USER} and {@code _PASSWORD}
 * point the tests elsewhere).
 */
enum TestDatabase {

    H2(null),
    POSTGRESQL(new TestServer(ServerSettings.fromEnvironment("EVENT_STORE_POSTGRESQL_URL",
            "EVENT_STORE_POSTGRESQL_USER", "EVENT_STORE_POSTGRESQL_PASSWORD", "jdbc:postgresql://127.0.0.1:5432/test",
            "postgres"))),
    MARIADB(new TestServer(ServerSettings.fromEnvironment("EVENT_STORE_MARIADB_URL", "EVENT_STORE_MARIADB_USER",
            "EVENT_STORE_MARIADB_PASSWORD", "jdbc:mariadb://127.0.0.1:3306/test", "root")));

    private final @Nullable TestServer server;

    TestDatabase(@Nullable TestServer server) {
        this.server = server;
    }

    /** Skips the calling test when the database's server is unreachable. */
    void assumeReachable() {
        if (server != null) {
            server.assumeReachable();
        }
    }

    /**
     * Spring Boot properties for an application on this database: a new in-memory H2 database that outlives
     * its application contexts (so that a second application of the test finds the first one's checkpoints),
     * or this run's own database on the server, shared by every context of the run.
     */
    String[] properties() {
        if (server == null) {
            return new String[] {"spring.datasource.url=jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"};
        }
        return new String[] {"spring.datasource.url=" + server.url(), "spring.datasource.username=" + server.user(),
                "spring.datasource.password=" + server.password(), "event-store.jdbc.initialize-schema=always"};
    }
}

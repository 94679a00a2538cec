package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.eventsourcery.eventstore.testing.ServerSettings;
import dev.eventsourcery.eventstore.testing.TestServer;

/**
 * The databases the JPA backend is tested on. PostgreSQL and MariaDB are servers that other test runs may
 * share, so the tests work in a database of this run's own there (see {@link TestServer}); the servers'
 * settings come from environment variables, defaulting to the local servers. When a server is unreachable
 * its tests are skipped with a message saying so, except under {@code CI=true}, where they fail.
 */
enum TestDatabase {

    H2("h2", null),
    POSTGRESQL("postgresql", new TestServer(ServerSettings.fromEnvironment("EVENT_STORE_POSTGRESQL_URL",
            "EVENT_STORE_POSTGRESQL_USER", "EVENT_STORE_POSTGRESQL_PASSWORD",
            "jdbc:postgresql://127.0.0.1:5432/test", "postgres"))),
    MARIADB("mariadb", new TestServer(ServerSettings.fromEnvironment("EVENT_STORE_MARIADB_URL",
            "EVENT_STORE_MARIADB_USER", "EVENT_STORE_MARIADB_PASSWORD",
            "jdbc:mariadb://127.0.0.1:3306/test", "root")));

    // in memory, so of this JVM's own already
    private static final String H2_URL = "jdbc:h2:mem:event-store;DB_CLOSE_DELAY=-1";
    private static final Map<TestDatabase, DataSource> DATA_SOURCES = new ConcurrentHashMap<>();
    private static final Map<TestDatabase, DataSource> PLAIN_DATA_SOURCES = new ConcurrentHashMap<>();

    private final String platform;
    private final TestServer server;

    TestDatabase(String platform, TestServer server) {
        this.platform = platform;
        this.server = server;
    }

    /** The platform name in the schema scripts' file names. */
    String platform() {
        return platform;
    }

    /** The URL of this run's own database (on a server, created on the first call). */
    String url() {
        return server == null ? H2_URL : server.url();
    }

    /** A new connection outside the pool: for an operator's actions in the tests (killing sessions). */
    Connection connect() throws SQLException {
        return server == null ? DriverManager.getConnection(H2_URL, user(), password()) : server.connect();
    }

    /**
     * Skips the calling test class when the database cannot be reached (fails it under {@code CI=true}),
     * with a message naming the database and how to point the tests at it.
     */
    void assumeReachable() {
        if (server != null) {
            server.assumeReachable();
        }
    }

    /**
     * A pooled data source, one per database for the whole test run. On MariaDB its connections accept several
     * statements in one text ({@code allowMultiQueries=true}), so that an append is one round trip, as the
     * README advises; {@link #plainDataSource()} gives connections without.
     */
    DataSource dataSource() {
        return DATA_SOURCES.computeIfAbsent(this, database -> pool(database == MARIADB
                ? database.url() + (database.url().contains("?") ? "&" : "?") + "allowMultiQueries=true"
                : database.url(), database.platform));
    }

    /**
     * A pooled data source on a new, empty database of its own, which no other test touches: a new in-memory H2
     * database, or a new database of this run's own on the server (dropped at the JVM's exit). Close it when done.
     */
    HikariDataSource newDataSource() {
        String url = server == null ? "jdbc:h2:mem:event-store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
                : server.newDatabaseUrl();
        HikariDataSource dataSource = pool(url, platform + "-" + UUID.randomUUID());
        dataSource.setMaximumPoolSize(5);
        return dataSource;
    }

    /** A pooled data source on the database's URL as it is: on MariaDB, one statement per round trip. */
    DataSource plainDataSource() {
        return PLAIN_DATA_SOURCES.computeIfAbsent(this, database -> pool(database.url(), database.platform + "-plain"));
    }

    private HikariDataSource pool(String url, String name) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(user());
        dataSource.setPassword(password());
        // the load test runs 16 writer threads; each needs a connection of its own
        dataSource.setMaximumPoolSize(30);
        dataSource.setPoolName("event-store-" + name);
        return dataSource;
    }

    String user() {
        return server == null ? "sa" : server.user();
    }

    String password() {
        return server == null ? "" : server.password();
    }
}

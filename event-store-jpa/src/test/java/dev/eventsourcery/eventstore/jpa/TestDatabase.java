package dev.eventsourcery.eventstore.jpa;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The databases the JPA backend is tested on. PostgreSQL and MariaDB connection settings come from
 * environment variables, defaulting to the local servers; when a server is unreachable its tests are
 * skipped with a message saying so, except under {@code CI=true}, where they fail.
 */
enum TestDatabase {

    H2("h2", "jdbc:h2:mem:event-store;DB_CLOSE_DELAY=-1", "sa", "", null),
    POSTGRESQL("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "", "EVENT_STORE_POSTGRESQL"),
    MARIADB("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root", "", "EVENT_STORE_MARIADB");

    private static final Map<TestDatabase, DataSource> DATA_SOURCES = new ConcurrentHashMap<>();
    private static final Map<TestDatabase, Optional<String>> UNREACHABLE = new ConcurrentHashMap<>();

    private final String platform;
    private final String url;
    private final String user;
    private final String password;

    TestDatabase(String platform, String url, String user, String password, String environmentPrefix) {
        this.platform = platform;
        this.url = setting(environmentPrefix, "URL", url);
        this.user = setting(environmentPrefix, "USER", user);
        this.password = setting(environmentPrefix, "PASSWORD", password);
    }

    /** The platform name in the schema scripts' file names. */
    String platform() {
        return platform;
    }

    String url() {
        return url;
    }

    /** A new connection outside the pool: for an operator's actions in the tests (killing sessions). */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /**
     * Skips the calling test class when the database cannot be reached (fails it under {@code CI=true}),
     * with a message naming the database and how to point the tests at it.
     */
    void assumeReachable() {
        String unreachable = UNREACHABLE.computeIfAbsent(this, TestDatabase::checkReachable).orElse(null);
        if (unreachable == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true requires every database: " + unreachable);
        }
        abort(unreachable);
    }

    /** Empty when the database answers; otherwise why not, printed once per run. */
    private Optional<String> checkReachable() {
        if (this == H2) {
            return Optional.empty();
        }
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            return Optional.empty();
        } catch (SQLException e) {
            String prefix = this == POSTGRESQL ? "EVENT_STORE_POSTGRESQL" : "EVENT_STORE_MARIADB";
            String message = name() + " tests SKIPPED: no database at " + url + " (" + e.getMessage()
                    + "). Start the server or set " + prefix + "_URL, _USER and _PASSWORD.";
            System.err.println("WARNING: " + message);
            return Optional.of(message);
        }
    }

    /** A pooled data source, one per database for the whole test run. */
    DataSource dataSource() {
        return DATA_SOURCES.computeIfAbsent(this, database -> {
            HikariDataSource dataSource = new HikariDataSource();
            dataSource.setJdbcUrl(database.url);
            dataSource.setUsername(database.user);
            dataSource.setPassword(database.password);
            // the load test runs 16 writer threads; each needs a connection of its own
            dataSource.setMaximumPoolSize(20);
            dataSource.setPoolName("event-store-" + database.platform);
            return dataSource;
        });
    }

    private static String setting(String prefix, String name, String fallback) {
        if (prefix == null) {
            return fallback;
        }
        String value = System.getenv(prefix + "_" + name);
        return value == null ? fallback : value;
    }
}

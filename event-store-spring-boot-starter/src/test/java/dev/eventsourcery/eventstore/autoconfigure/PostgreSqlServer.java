package dev.eventsourcery.eventstore.autoconfigure;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL server the starter's tests run against when it is reachable: settings from
 * {@code EVENT_STORE_POSTGRESQL_URL}, {@code _USER} and {@code _PASSWORD}, defaulting to the local
 * server. Unreachable, its tests are skipped with a message; with {@code CI=true} they fail.
 */
final class PostgreSqlServer {

    static final String URL = env("EVENT_STORE_POSTGRESQL_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("EVENT_STORE_POSTGRESQL_USER", "postgres");
    static final String PASSWORD = env("EVENT_STORE_POSTGRESQL_PASSWORD", "");

    private PostgreSqlServer() {
    }

    static void assumeReachable() {
        try (Connection ignored = DriverManager.getConnection(URL, USER, PASSWORD)) {
            // reachable
        } catch (SQLException e) {
            String message = "POSTGRESQL tests SKIPPED: no database at " + URL + " (" + e.getMessage()
                    + "). Start the server or set EVENT_STORE_POSTGRESQL_URL, _USER and _PASSWORD.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true requires every database: " + message);
            }
            System.err.println("WARNING: " + message);
            abort(message);
        }
    }

    /** Spring Boot properties pointing the application at this server. */
    static String[] properties() {
        return new String[] {"spring.datasource.url=" + URL, "spring.datasource.username=" + USER,
                "spring.datasource.password=" + PASSWORD};
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}

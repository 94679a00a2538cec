package dev.eventsourcery.eventstore.autoconfigure;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A database server the starter's tests run against when it is reachable: settings from
 * {@code EVENT_STORE_<NAME>_URL}, {@code _USER} and {@code _PASSWORD}, defaulting to the local servers.
 * Unreachable, its tests are skipped with a message; with {@code CI=true} they fail.
 */
enum DatabaseServer {

    POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres"),
    MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root");

    final String url;
    final String user;
    final String password;

    DatabaseServer(String url, String user) {
        this.url = env("URL", url);
        this.user = env("USER", user);
        this.password = env("PASSWORD", "");
    }

    void assumeReachable() {
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            // reachable
        } catch (SQLException e) {
            String message = name() + " tests SKIPPED: no database at " + url + " (" + e.getMessage()
                    + "). Start the server or set EVENT_STORE_" + name() + "_URL, _USER and _PASSWORD.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true requires every database: " + message);
            }
            System.err.println("WARNING: " + message);
            abort(message);
        }
    }

    /** Spring Boot properties pointing the application at this server. */
    String[] properties() {
        return new String[] {"spring.datasource.url=" + url, "spring.datasource.username=" + user,
                "spring.datasource.password=" + password};
    }

    private String env(String setting, String fallback) {
        String value = System.getenv("EVENT_STORE_" + name() + "_" + setting);
        return value == null ? fallback : value;
    }
}

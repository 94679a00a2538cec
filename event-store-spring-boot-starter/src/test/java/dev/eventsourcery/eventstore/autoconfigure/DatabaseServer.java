package dev.eventsourcery.eventstore.autoconfigure;

import dev.eventsourcery.eventstore.testing.ServerSettings;
import dev.eventsourcery.eventstore.testing.TestServer;

/**
 * A database server the starter's tests run against when it is reachable, in a database of this test
 * run's own (see {@link TestServer}): settings from {@code EVENT_STORE_<NAME>_URL}, {@code _USER} and
 * {@code _PASSWORD}, defaulting to the local servers. Unreachable, its tests are skipped with a message;
 * with {@code CI=true} they fail.
 */
enum DatabaseServer {

    POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres"),
    MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root");

    private final TestServer server;

    DatabaseServer(String url, String user) {
        String prefix = "EVENT_STORE_" + name() + "_";
        this.server = new TestServer(
                ServerSettings.fromEnvironment(prefix + "URL", prefix + "USER", prefix + "PASSWORD", url, user));
    }

    /** Skips the calling test when the server is unreachable (fails it under {@code CI=true}). */
    void assumeReachable() {
        server.assumeReachable();
    }

    /** The URL of this run's own database on the server, created on the first call. */
    String url() {
        return server.url();
    }

    /** The URL of a new, empty database of this run's own on the server. */
    String newDatabaseUrl() {
        return server.newDatabaseUrl();
    }

    String user() {
        return server.user();
    }

    String password() {
        return server.password();
    }

    /** Spring Boot properties pointing the application at this run's own database on the server. */
    String[] properties() {
        return new String[] {"spring.datasource.url=" + url(), "spring.datasource.username=" + user(),
                "spring.datasource.password=" + password()};
    }
}

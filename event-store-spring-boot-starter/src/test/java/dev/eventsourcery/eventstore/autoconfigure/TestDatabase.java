package dev.eventsourcery.eventstore.autoconfigure;

import java.util.Arrays;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The databases a starter test runs an application on: embedded H2, and the servers of
 * {@link DatabaseServer} (skipped with a message when unreachable, failing under {@code CI=true}), in this
 * test run's own database with the store's schema created by the starter.
 */
enum TestDatabase {

    H2(null),
    POSTGRESQL(DatabaseServer.POSTGRESQL),
    MARIADB(DatabaseServer.MARIADB);

    private final @Nullable DatabaseServer server;

    TestDatabase(@Nullable DatabaseServer server) {
        this.server = server;
    }

    /** Skips the calling test when the database's server is unreachable. */
    void assumeReachable() {
        if (server != null) {
            server.assumeReachable();
        }
    }

    /**
     * Spring Boot properties for an application on this database: a new in-memory H2 database per context,
     * or this run's own database on the server, shared by every context of the run.
     */
    String[] properties() {
        if (server == null) {
            return new String[] {"spring.datasource.generate-unique-name=true"};
        }
        return Stream.concat(Arrays.stream(server.properties()), Stream.of("event-store.jdbc.initialize-schema=always"))
                .toArray(String[]::new);
    }
}

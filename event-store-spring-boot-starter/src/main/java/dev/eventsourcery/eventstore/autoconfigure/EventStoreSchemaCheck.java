package dev.eventsourcery.eventstore.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

/**
 * Checks at start-up that the event store's tables exist, after every schema tool of the application (the
 * starter's scripts, Flyway, Liquibase) has run, so that a missing table stops the application with a
 * message saying how to create it instead of failing the first append.
 */
final class EventStoreSchemaCheck {

    /**
     * The SQL states of a table that does not exist: PostgreSQL's undefined_table, the standard's (MariaDB,
     * H2) and H2's for a table missing from an empty database. Anything else (no privilege, a lost
     * connection) is reported as it is.
     */
    private static final Set<String> NO_SUCH_TABLE = Set.of("42P01", "42S02", "42S04");

    /** Every table the JPA backend and the projections read or write. */
    static final List<String> TABLES = List.of("es_stream", "es_event", "es_snapshot", "es_pending", "es_log",
            "es_log_head", "es_projection", "es_dead_letter");

    private EventStoreSchemaCheck() {
    }

    /**
     * Fails with an {@link IllegalStateException} naming the missing tables and the three ways to create them.
     * A table counts as missing when selecting from it fails with an SQL state that says so.
     */
    static void verify(DataSource dataSource) {
        List<String> missing;
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
            missing = missingTables(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check the event store's tables: " + e.getMessage(), e);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(message(url, missing));
        }
    }

    /**
     * The event store's tables that do not exist, selecting from each on the connection in autocommit mode (so
     * that PostgreSQL's aborted statement aborts nothing else).
     *
     * @throws SQLException when a select fails for another reason than a missing table
     */
    static List<String> missingTables(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        List<String> missing = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                try {
                    statement.executeQuery("select 1 from " + table + " where 1 = 0").close();
                } catch (SQLException e) {
                    if (e.getSQLState() == null || !NO_SUCH_TABLE.contains(e.getSQLState())) {
                        throw e;
                    }
                    missing.add(table);
                }
            }
        }
        return missing;
    }

    static String message(String url, List<String> missing) {
        return "The event store's tables " + String.join(", ", missing) + " do not exist in the database at " + url
                + ". Create them in one of three ways: let the starter run its schema script at start-up "
                + "(event-store.jdbc.initialize-schema=always); or add the store's Flyway migrations to "
                + "spring.flyway.locations (classpath:db/event-store/flyway/{vendor}); or include its Liquibase "
                + "changelog (classpath:db/event-store/liquibase/changelog.xml) in spring.liquibase.change-log or "
                + "your own changelog. To start without the tables anyway, set event-store.jdbc.check-schema=false.";
    }
}

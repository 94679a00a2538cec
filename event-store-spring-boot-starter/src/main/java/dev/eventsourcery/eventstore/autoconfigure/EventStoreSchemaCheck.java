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
 * message saying how to create it instead of failing the first append; and that they have the columns later
 * schema versions added, so that tables an earlier version of the event store created, and nothing upgraded,
 * stop it with a message saying how to upgrade them.
 */
final class EventStoreSchemaCheck {

    /**
     * The SQL states of a table that does not exist: PostgreSQL's undefined_table, the standard's (MariaDB,
     * H2) and H2's for a table missing from an empty database. Anything else (no privilege, a lost
     * connection) is reported as it is.
     */
    private static final Set<String> NO_SUCH_TABLE = Set.of("42P01", "42S02", "42S04");

    /** The SQL states of a column that does not exist: PostgreSQL's undefined_column, MariaDB's, H2's. */
    private static final Set<String> NO_SUCH_COLUMN = Set.of("42703", "42S22", "42122");

    /** Every table the JPA backend and the projections read or write. */
    static final List<String> TABLES = List.of("es_stream", "es_event", "es_snapshot", "es_pending", "es_log",
            "es_log_head", "es_projection", "es_dead_letter");

    /**
     * The columns schema versions after the first added to its tables, as {@code table.column}: the schema
     * version of every event and snapshot (0.3).
     */
    static final List<String> COLUMNS = List.of("es_event.schema_version", "es_snapshot.schema_version");

    private EventStoreSchemaCheck() {
    }

    /**
     * Fails with an {@link IllegalStateException} naming the missing tables and the three ways to create them,
     * or, when every table is there, the missing columns and the three ways to add them. A table or column
     * counts as missing when selecting it fails with an SQL state that says so.
     */
    static void verify(DataSource dataSource) {
        List<String> missingTables;
        List<String> missingColumns = List.of();
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
            missingTables = missingTables(connection);
            if (missingTables.isEmpty()) {
                missingColumns = missingColumns(connection);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check the event store's tables: " + e.getMessage(), e);
        }
        if (!missingTables.isEmpty()) {
            throw new IllegalStateException(message(url, missingTables));
        }
        if (!missingColumns.isEmpty()) {
            throw new IllegalStateException(upgradeMessage(url, missingColumns));
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

    /**
     * The columns of {@link #COLUMNS} that do not exist, as {@code table.column}, selecting each on the
     * connection in autocommit mode; call it when every table exists.
     *
     * @throws SQLException when a select fails for another reason than a missing column
     */
    static List<String> missingColumns(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        List<String> missing = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (String column : COLUMNS) {
                int dot = column.indexOf('.');
                try {
                    statement.executeQuery("select " + column.substring(dot + 1) + " from " + column.substring(0, dot)
                            + " where 1 = 0").close();
                } catch (SQLException e) {
                    if (e.getSQLState() == null || !NO_SUCH_COLUMN.contains(e.getSQLState())) {
                        throw e;
                    }
                    missing.add(column);
                }
            }
        }
        return missing;
    }

    static String upgradeMessage(String url, List<String> missing) {
        return "The event store's tables in the database at " + url + " lack the columns " + String.join(", ", missing)
                + ": an earlier version of the event store created them, and they were not upgraded. Upgrade them the "
                + "way they were created: the starter's schema script adds the columns "
                + "(event-store.jdbc.initialize-schema=always); so do the store's Flyway migrations "
                + "(classpath:db/event-store/flyway/{vendor}, version 0.3) and its Liquibase changelog "
                + "(classpath:db/event-store/liquibase/changelog.xml, change sets event-store-0.3-*). To start without "
                + "them anyway, set event-store.jdbc.check-schema=false.";
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

package dev.eventsourcery.eventstore.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

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
            "es_log_head", "es_deleted", "es_projection", "es_dead_letter");

    /**
     * The columns schema versions after the first added to its tables, as {@code table.column}: the schema
     * version of every event and snapshot (0.3).
     */
    static final List<String> COLUMNS = List.of("es_event.schema_version", "es_snapshot.schema_version");

    /** The tables schema versions after the first added: the deleted events still to leave the log (0.4). */
    static final List<String> LATER_TABLES = List.of("es_deleted");

    private EventStoreSchemaCheck() {
    }

    /**
     * Fails with an {@link IllegalStateException} naming the missing tables and the three ways to create them,
     * or, when every table is there, the missing columns and the three ways to add them. A table or column
     * counts as missing when selecting it fails with an SQL state that says so.
     */
    static void verify(DataSource dataSource) {
        Missing missing;
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
            missing = inspect(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check the event store's tables: " + e.getMessage(), e);
        }
        if (!missing.tables().isEmpty() && !missing.upgrade()) {
            throw new IllegalStateException(message(url, missing.tables()));
        }
        if (!missing.tables().isEmpty() || !missing.columns().isEmpty()) {
            throw new IllegalStateException(upgradeMessage(url, missing));
        }
    }

    /**
     * What of the schema is missing: the tables, and, when every table of the first version is there, the
     * columns of later schema versions; selecting each on the connection in autocommit mode (so that
     * PostgreSQL's aborted statement aborts nothing else).
     *
     * @throws SQLException when a select fails for another reason than a missing table or column
     */
    static Missing inspect(Connection connection) throws SQLException {
        Missing tablesOnly = new Missing(missing(connection, TABLES, table -> "select 1 from " + table, NO_SUCH_TABLE),
                List.of());
        if (!tablesOnly.upgrade()) {
            return tablesOnly;
        }
        List<String> tables = tablesOnly.tables();
        return new Missing(tables, missing(connection, COLUMNS, column -> {
            int dot = column.indexOf('.');
            return "select " + column.substring(dot + 1) + " from " + column.substring(0, dot);
        }, NO_SUCH_COLUMN));
    }

    /** The names whose select (with {@code where 1 = 0} added) fails with one of the given SQL states. */
    private static List<String> missing(Connection connection, List<String> names, Function<String, String> select,
            Set<String> missingStates) throws SQLException {
        connection.setAutoCommit(true);
        List<String> missing = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (String name : names) {
                try {
                    statement.executeQuery(select.apply(name) + " where 1 = 0").close();
                } catch (SQLException e) {
                    if (e.getSQLState() == null || !missingStates.contains(e.getSQLState())) {
                        throw e;
                    }
                    missing.add(name);
                }
            }
        }
        return missing;
    }

    /**
     * The missing parts of the schema.
     *
     * @param tables the tables of {@link #TABLES} that do not exist
     * @param columns the columns of {@link #COLUMNS} that do not exist, as {@code table.column}; checked only
     *     when every table of the first schema version exists
     */
    record Missing(List<String> tables, List<String> columns) {

        /** Whether what is missing is only what later schema versions added: tables an earlier version created. */
        boolean upgrade() {
            return LATER_TABLES.containsAll(tables);
        }
    }

    static String upgradeMessage(String url, Missing missing) {
        List<String> parts = new ArrayList<>();
        if (!missing.tables().isEmpty()) {
            parts.add("the table" + (missing.tables().size() > 1 ? "s " : " ") + String.join(", ", missing.tables()));
        }
        if (!missing.columns().isEmpty()) {
            parts.add("the columns " + String.join(", ", missing.columns()));
        }
        return "The event store's tables in the database at " + url + " lack " + String.join(" and ", parts)
                + ": an earlier version of the event store created them, and they were not upgraded. Upgrade them the "
                + "way they were created: the starter's schema script adds what is missing "
                + "(event-store.jdbc.initialize-schema=always); so do the store's Flyway migrations "
                + "(classpath:db/event-store/flyway/{vendor}, versions 0.3 and 0.4) and its Liquibase changelog "
                + "(classpath:db/event-store/liquibase/changelog.xml, change sets event-store-0.3-* and "
                + "event-store-0.4-*). To start without them anyway, set event-store.jdbc.check-schema=false.";
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

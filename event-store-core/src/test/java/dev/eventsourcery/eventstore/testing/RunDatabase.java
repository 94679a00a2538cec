package dev.eventsourcery.eventstore.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A database of this JVM's own on a server that other test runs share: created with a new name, dropped
 * when the JVM exits. Creating it also drops the leftovers of runs that could not drop theirs (killed or
 * crashed), but only those older than a day, since younger ones may belong to a run still going.
 */
final class RunDatabase {

    private final ServerSettings server;
    private final String name;

    private RunDatabase(ServerSettings server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Drops the server's leftovers, creates a database and has it dropped at the JVM's exit. */
    static RunDatabase create(ServerSettings server) {
        RunDatabase database = new RunDatabase(server, RunDatabaseNames.newName(Instant.now()));
        try (Connection administration = administer(server); Statement statement = administration.createStatement()) {
            dropLeftovers(server.platform(), statement);
            statement.execute(server.platform().create(database.name));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the test database " + database.name + " at "
                    + server.url() + " as " + server.user() + " (" + e.getMessage()
                    + "); the tests need a user who may create and drop databases.", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(database::drop, "drop-" + database.name));
        return database;
    }

    /** The URL of the database, with the configured URL's server and parameters. */
    String url() {
        return server.urlOf(name);
    }

    private void drop() {
        try (Connection administration = administer(server); Statement statement = administration.createStatement()) {
            statement.execute(server.platform().drop(name));
        } catch (SQLException e) {
            // a later run drops it once it is a day old
            System.err.println("WARNING: could not drop the test database " + name + " at " + server.url() + ": "
                    + e.getMessage());
        }
    }

    private static void dropLeftovers(ServerPlatform platform, Statement statement) throws SQLException {
        Instant now = Instant.now();
        List<String> leftovers = new ArrayList<>();
        try (ResultSet databases = statement.executeQuery(platform.listDatabases())) {
            while (databases.next()) {
                if (RunDatabaseNames.isLeftover(databases.getString(1), now)) {
                    leftovers.add(databases.getString(1));
                }
            }
        }
        for (String leftover : leftovers) {
            try {
                statement.execute(platform.drop(leftover));
            } catch (SQLException e) {
                // another run sweeping at the same moment may have dropped it first: never a reason not to test
                System.err.println("WARNING: could not drop the leftover test database " + leftover + ": "
                        + e.getMessage());
            }
        }
    }

    private static Connection administer(ServerSettings server) throws SQLException {
        Connection connection = DriverManager.getConnection(server.url(), server.user(), server.password());
        try (Statement statement = connection.createStatement()) {
            server.platform().prepare(statement);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}

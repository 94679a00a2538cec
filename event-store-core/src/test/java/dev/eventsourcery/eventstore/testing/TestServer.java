package dev.eventsourcery.eventstore.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL or MariaDB server the tests run on, shared with other test runs (other developers, CI): this
 * JVM's tests work in a database of their own there, so that two runs at once do not clear each other's
 * tables. Unreachable, the server's tests are skipped with a warning; under {@code CI=true} they fail.
 * The driver comes from the caller's class path.
 */
public final class TestServer {

    private final ServerSettings settings;
    private Optional<String> unreachable;
    private RunDatabase database;

    /** A server at the given settings; nothing is connected to until a test asks. */
    public TestServer(ServerSettings settings) {
        this.settings = settings;
    }

    /** The platform's name in messages: {@code POSTGRESQL} or {@code MARIADB}. */
    public String name() {
        return settings.platform().name();
    }

    /**
     * Skips the calling test when the server cannot be reached (fails it under {@code CI=true}), with a
     * message naming the URL and the environment variables that point the tests elsewhere.
     */
    public void assumeReachable() {
        String message = unreachable().orElse(null);
        if (message == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true requires every database: " + message);
        }
        abort(message);
    }

    /** The URL of this JVM's own database on the server, created on the first call. */
    public synchronized String url() {
        if (database == null) {
            database = RunDatabase.create(settings);
        }
        return database.url();
    }

    /**
     * The URL of another new, empty database of this JVM's own on the server, dropped at the JVM's exit like
     * {@link #url()}'s: for a test that needs a database no other test has touched.
     */
    public String newDatabaseUrl() {
        return RunDatabase.create(settings).url();
    }

    /** The user to log in as. */
    public String user() {
        return settings.user();
    }

    /** The user's password. */
    public String password() {
        return settings.password();
    }

    /** A new connection to this JVM's own database. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), settings.user(), settings.password());
    }

    /** Empty when the server answers; otherwise why not, printed once for the whole run. */
    private synchronized Optional<String> unreachable() {
        if (unreachable == null) {
            unreachable = checkReachable();
        }
        return unreachable;
    }

    private Optional<String> checkReachable() {
        try (Connection ignored = DriverManager.getConnection(settings.url(), settings.user(), settings.password())) {
            return Optional.empty();
        } catch (SQLException e) {
            String message = name() + " tests SKIPPED: no database at " + settings.url() + " (" + e.getMessage()
                    + "). Start the server or set " + listed(settings.variables()) + ".";
            System.err.println("WARNING: " + message);
            return Optional.of(message);
        }
    }

    private static String listed(List<String> names) {
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
}

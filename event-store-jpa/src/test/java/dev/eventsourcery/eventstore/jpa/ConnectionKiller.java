package dev.eventsourcery.eventstore.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;

/**
 * Injects a fault: kills the database session of the connection that is about to run a chosen statement,
 * from another connection, as an operator or a failing network would — PostgreSQL's
 * {@code pg_terminate_backend} on the session's backend pid, MariaDB's {@code KILL} on its connection id.
 * The statement then runs on a dead connection.
 */
final class ConnectionKiller implements QueryExecutionListener {

    private final TestDatabase database;
    private final ThreadLocal<String> armed = new ThreadLocal<>();
    private final AtomicInteger kills = new AtomicInteger();

    ConnectionKiller(TestDatabase database) {
        this.database = database;
    }

    /** Kills this thread's connection just before its next statement that contains {@code fragment}. */
    void killBefore(String fragment) {
        armed.set(fragment.toLowerCase(Locale.ROOT));
    }

    /** Sessions killed so far. */
    int kills() {
        return kills.get();
    }

    void disarm() {
        armed.remove();
    }

    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        String prefix = armed.get();
        if (prefix == null || queryInfoList.isEmpty()
                || !queryInfoList.get(0).getQuery().toLowerCase(Locale.ROOT).contains(prefix)) {
            return;
        }
        armed.remove();
        try {
            kill(sessionOf(execInfo.getStatement().getConnection()));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not inject the fault", e);
        }
    }

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
    }

    private long sessionOf(Connection connection) throws SQLException {
        String query = database == TestDatabase.POSTGRESQL ? "select pg_backend_pid()" : "select connection_id()";
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    private void kill(long session) throws SQLException {
        try (Connection admin = database.connect()) {
            if (database == TestDatabase.POSTGRESQL) {
                try (PreparedStatement terminate = admin.prepareStatement("select pg_terminate_backend(?)")) {
                    terminate.setInt(1, (int) session);
                    terminate.executeQuery().close();
                }
                awaitGone(admin, session);
            } else {
                try (Statement kill = admin.createStatement()) {
                    kill.execute("KILL CONNECTION " + session);
                }
            }
        }
        kills.incrementAndGet();
    }

    /** pg_terminate_backend only signals the backend; wait until it has gone. */
    private static void awaitGone(Connection admin, long pid) throws SQLException {
        try (PreparedStatement alive = admin.prepareStatement("select count(*) from pg_stat_activity where pid = ?")) {
            alive.setInt(1, (int) pid);
            for (int i = 0; i < 200; i++) {
                try (ResultSet result = alive.executeQuery()) {
                    result.next();
                    if (result.getInt(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("Backend " + pid + " did not terminate");
    }
}

package dev.eventsourcery.eventstore.jpa;

import java.util.ArrayList;
import java.util.List;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;

/**
 * Records the JDBC executions (database round trips) of the current thread while recording is on: one
 * entry per statement executed, a JDBC batch counting once with its size, and one per commit or rollback
 * ({@code "commit"}, {@code "rollback"}).
 */
final class StatementLog implements QueryExecutionListener, MethodExecutionListener {

    /** One round trip: the SQL and, for a batch, how many rows it carried. */
    record Execution(String sql, boolean batch, int batchSize) {
    }

    private final ThreadLocal<List<Execution>> recording = new ThreadLocal<>();

    /** Starts recording this thread's executions. */
    void start() {
        recording.set(new ArrayList<>());
    }

    /** Stops recording and returns what was executed. */
    List<Execution> stop() {
        List<Execution> executions = recording.get();
        recording.remove();
        return executions == null ? List.of() : executions;
    }

    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
    }

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        List<Execution> executions = recording.get();
        if (executions != null) {
            String sql = queryInfoList.isEmpty() ? "" : queryInfoList.get(0).getQuery();
            executions.add(new Execution(sql, execInfo.isBatch(), execInfo.getBatchSize()));
        }
    }

    @Override
    public void beforeMethod(MethodExecutionContext executionContext) {
    }

    @Override
    public void afterMethod(MethodExecutionContext executionContext) {
        List<Execution> executions = recording.get();
        String method = executionContext.getMethod().getName();
        if (executions != null && (method.equals("commit") || method.equals("rollback"))) {
            executions.add(new Execution(method, false, 0));
        }
    }
}

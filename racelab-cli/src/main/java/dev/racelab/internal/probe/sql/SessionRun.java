package dev.racelab.internal.probe.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One session of a probe: its own connection and its own thread, so that a step blocked on a
 * lock leaves the schedule free to go on with the other sessions. The thread that runs the
 * schedule reads this state only between steps, after the step's future has completed.
 */
final class SessionRun implements AutoCloseable {
    enum Status { COMMITTED, ROLLED_BACK, ABORTED }

    /** What one step did: the columns of the first row it read (or rows_affected), or why it failed. */
    record StepResult(Map<String, Object> read, SqlFailure failure, boolean failedAtEnd, String specError, Status ended) {
    }

    final ProbeSpec.Session spec;
    final Connection connection;
    final long serverId;
    private final ExecutorService thread;
    private volatile Statement current;

    final Map<String, Object> variables = new HashMap<>();
    boolean inTransaction;
    Status status;
    SqlFailure failure;
    String failedStep;
    /** After a failure: skip the session's steps to the end of its transaction, or all of them when it had none open. */
    boolean skipping;
    boolean skipToEnd;
    Future<StepResult> pending;
    ProbeSpec.Step pendingStep;
    boolean waiting;
    /** Steps sent to the server in this permutation: a session that sent none did not commit anything. */
    int stepsRun;

    SessionRun(ProbeSpec.Session spec, Connection connection, long serverId) {
        this.spec = spec;
        this.connection = connection;
        this.serverId = serverId;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "racelab-probe-" + spec.name());
            t.setDaemon(true);
            return t;
        });
    }

    String name() {
        return spec.name();
    }

    void reset() {
        variables.clear();
        inTransaction = false;
        status = null;
        failure = null;
        failedStep = null;
        skipping = false;
        skipToEnd = false;
        pending = null;
        pendingStep = null;
        waiting = false;
        stepsRun = 0;
    }

    Future<StepResult> submit(ProbeSpec.Step step) {
        pendingStep = step;
        stepsRun++;
        pending = thread.submit(() -> execute(step));
        return pending;
    }

    /** Runs a statement of racelab's own (ROLLBACK, USE) on the session's thread and waits for it. */
    void runNow(String sql) throws Exception {
        thread.submit(() -> {
            try (Statement s = connection.createStatement()) {
                s.execute(sql);
            }
            return null;
        }).get();
    }

    /** Cancels the statement in flight, if any: the server ends it with an error. */
    void cancel() {
        Statement s = current;
        if (s == null) return;
        try {
            s.cancel();
        } catch (SQLException ignored) {
            // it may have finished meanwhile
        }
    }

    private StepResult execute(ProbeSpec.Step step) {
        Map<String, Object> read = new LinkedHashMap<>();
        Status ended = null;
        for (String statement : step.statements()) {
            SqlText.Bound bound = SqlText.bind(statement);
            for (String v : bound.variables()) {
                if (!variables.containsKey(v)) {
                    return new StepResult(read, null, false, "step " + step.id() + " uses :" + v + ", but no earlier step of "
                            + spec.name() + " read a column named " + v
                            + (variables.isEmpty() ? "" : " (it has read: " + String.join(", ", new java.util.TreeSet<>(variables.keySet())) + ")"),
                            null);
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(bound.sql())) {
                current = ps;
                List<String> vars = bound.variables();
                for (int i = 0; i < vars.size(); i++) ps.setObject(i + 1, variables.get(vars.get(i)));
                if (ps.execute()) {
                    try (ResultSet rs = ps.getResultSet()) {
                        captureFirstRow(rs, read);
                    }
                } else {
                    read.put("rows_affected", (long) ps.getUpdateCount());
                }
            } catch (SQLException e) {
                boolean atEnd = SqlText.endsTransaction(statement);
                if (atEnd) inTransaction = false;
                return new StepResult(read, SqlFailure.of(e), atEnd, null, null);
            } finally {
                current = null;
            }
            if (SqlText.startsTransaction(statement)) inTransaction = true;
            if (SqlText.endsTransaction(statement)) {
                inTransaction = false;
                ended = SqlText.rollsBack(statement) ? Status.ROLLED_BACK : Status.COMMITTED;
            }
        }
        return new StepResult(read, null, false, null, ended);
    }

    /** The first row's columns, by lower-case label, become the session's variables and the step's read. */
    private void captureFirstRow(ResultSet rs, Map<String, Object> read) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        boolean any = rs.next();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String label = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
            Object value = any ? rs.getObject(i) : null;
            read.put(label, value);
            variables.put(label, value);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing after a broken connection
        }
    }
}

package dev.racelab.internal.probe.sql;

import dev.racelab.core.UsageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One session's whole transaction on one connection, in load mode: its steps in order, each
 * statement with its {@code :variables} bound from what earlier statements of this run read.
 * Nothing carries over from one run to the next.
 */
final class TransactionRun {
    /** How a run ended. UNKNOWN: the connection broke, so a commit may or may not have happened. */
    enum Status { COMMITTED, ROLLED_BACK, ABORTED, UNKNOWN }

    record Attempt(Status status, SqlFailure failure, String failedStatement) {
    }

    private final Connection connection;
    private final int timeoutSeconds;
    private final Map<String, Object> variables = new HashMap<>();

    TransactionRun(Connection connection, Duration stepTimeout) {
        this.connection = connection;
        this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (stepTimeout.toMillis() + 999) / 1000));
    }

    /** Runs the session's steps; a statement the spec got wrong (an unbound variable) is a {@link UsageException}. */
    Attempt run(ProbeSpec.Session session) {
        variables.clear();
        boolean inTransaction = false;
        Status ended = Status.COMMITTED;
        for (ProbeSpec.Step step : session.steps()) {
            for (String statement : step.statements()) {
                SqlText.Bound bound = SqlText.bind(statement);
                for (String v : bound.variables()) {
                    if (!variables.containsKey(v)) {
                        throw new UsageException("step " + step.id() + " uses :" + v + ", but no earlier statement of " + session.name()
                                + " read a column named " + v);
                    }
                }
                try (PreparedStatement ps = connection.prepareStatement(bound.sql())) {
                    ps.setQueryTimeout(timeoutSeconds);
                    List<String> vars = bound.variables();
                    for (int i = 0; i < vars.size(); i++) ps.setObject(i + 1, variables.get(vars.get(i)));
                    if (ps.execute()) {
                        try (ResultSet rs = ps.getResultSet()) {
                            capture(rs);
                        }
                    }
                } catch (SQLException e) {
                    SqlFailure failure = timedOut(SqlFailure.of(e));
                    if (brokenConnection(failure)) return new Attempt(Status.UNKNOWN, failure, step.id());
                    if (inTransaction && !SqlText.endsTransaction(statement)) rollBackQuietly();
                    return new Attempt(Status.ABORTED, failure, step.id());
                }
                if (SqlText.startsTransaction(statement)) inTransaction = true;
                if (SqlText.endsTransaction(statement)) {
                    inTransaction = false;
                    ended = SqlText.rollsBack(statement) ? Status.ROLLED_BACK : Status.COMMITTED;
                }
            }
        }
        if (inTransaction) {
            // A transaction the steps left open is not committed: racelab ends it, as the end of a permutation does.
            rollBackQuietly();
            return new Attempt(Status.ROLLED_BACK, null, null);
        }
        return new Attempt(ended, null, null);
    }

    /** PostgreSQL's 57014 (the statement was cancelled) and MariaDB's 1969 (max_statement_time): the JDBC query timeout, --step-timeout. */
    private SqlFailure timedOut(SqlFailure f) {
        if (!"57014".equals(f.sqlState()) && f.vendorCode() != 1969) return f;
        return new SqlFailure(f.sqlState(), f.vendorCode(), SqlFailure.Kind.TIMED_OUT,
                "ran longer than --step-timeout (" + timeoutSeconds + " s), so racelab cancelled it: " + f.message());
    }

    /** Class 08 (connection exception) and 57P01-57P03 (the server is going away): the statement's effect is not known. */
    static boolean brokenConnection(SqlFailure f) {
        return f.sqlState().startsWith("08") || f.sqlState().startsWith("57P0");
    }

    private void capture(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        boolean any = rs.next();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            variables.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), any ? rs.getObject(i) : null);
        }
    }

    private void rollBackQuietly() {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // the server ended the transaction already, or the connection is gone: the next attempt finds out
        }
    }
}

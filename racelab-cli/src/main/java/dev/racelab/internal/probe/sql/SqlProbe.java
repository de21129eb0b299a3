package dev.racelab.internal.probe.sql;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Runs a spec's permutations on one server, each from a fresh setup, in a workspace of its own:
 * a schema (PostgreSQL) or database (MariaDB) racelab creates and drops, or one the user names,
 * which racelab never drops. Open it once, run any number of specs, close it.
 */
public final class SqlProbe implements AutoCloseable {
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final SqlDialect dialect;
    private final String workspace;
    private final boolean ownsWorkspace;
    private final Duration stepTimeout;
    private final Clock clock;
    private final Connection monitor;
    private final String serverVersion;

    private SqlProbe(String url, SqlDialect dialect, String workspace, boolean owns, Duration stepTimeout, Clock clock,
                     Connection monitor, String serverVersion) {
        this.url = url;
        this.dialect = dialect;
        this.workspace = workspace;
        this.ownsWorkspace = owns;
        this.stepTimeout = stepTimeout;
        this.clock = clock;
        this.monitor = monitor;
        this.serverVersion = serverVersion;
    }

    /**
     * Connects and prepares the workspace. {@code schema} null: racelab creates one with a unique
     * name; otherwise it must exist. A server that does not answer is a usage error.
     */
    public static SqlProbe open(String storeName, String url, String schema, Duration stepTimeout, Clock clock) {
        SqlDialect dialect = SqlDialect.ofUrl(url);
        if (schema != null && !schema.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
            throw new UsageException("--schema '" + schema + "' must be a plain name: letters, digits, _ and $");
        }
        Connection monitor = connect(storeName, url);
        try {
            String version = monitor.getMetaData().getDatabaseProductVersion();
            String name = schema;
            boolean owns = schema == null;
            if (owns) {
                name = "racelab_probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                execute(monitor, dialect.createWorkspace(name));
            } else if (!dialect.workspaceExists(monitor, schema)) {
                throw new UsageException("--schema " + schema + ": no such " + (dialect == SqlDialect.POSTGRES ? "schema" : "database")
                        + " on " + storeName + " (racelab uses an existing one and never drops it; leave --schema out for one of its own)");
            }
            execute(monitor, dialect.useWorkspace(name));
            return new SqlProbe(url, dialect, name, owns, stepTimeout, clock, monitor, dialect.product() + " " + version);
        } catch (SQLException e) {
            closeQuietly(monitor);
            throw new UsageException("cannot prepare a workspace on " + storeName + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(monitor);
            throw e;
        }
    }

    public SqlDialect dialect() {
        return dialect;
    }

    public String workspace() {
        return workspace;
    }

    public String serverVersion() {
        return serverVersion;
    }

    /** Runs every permutation of the spec (or the ones it lists); {@code progress} may be null. */
    public ProbeResult run(ProbeSpec spec, PrintWriter progress) {
        List<List<ProbeSpec.Step>> schedules = spec.schedules();
        CheckExpression expect = CheckExpression.parse(spec.check().expect());
        List<PermutationResult> results = new ArrayList<>();
        List<SessionRun> sessions = new ArrayList<>();
        try {
            for (ProbeSpec.Session s : spec.sessions()) sessions.add(openSession(s));
            int number = 0;
            for (List<ProbeSpec.Step> schedule : schedules) {
                number++;
                results.add(runOne(spec, number, schedule, sessions, expect));
                if (progress != null && schedules.size() > 20 && number % 20 == 0) {
                    progress.println("racelab: " + number + " of " + schedules.size() + " permutations run");
                    progress.flush();
                }
            }
        } catch (SQLException e) {
            throw new UsageException(spec.source() + ": " + e.getMessage(), e);
        } catch (UsageException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("probe " + spec.name() + " failed: " + e, e);
        } finally {
            for (SessionRun s : sessions) s.close();
        }
        List<String> levels = spec.sessions().stream()
                .map(s -> s.name() + ": " + (s.isolation() == null ? "the server's default" : s.isolation().toString())).toList();
        return new ProbeResult(spec.name(), serverVersion, workspace, levels, results, spec.violation(), spec.check().expect());
    }

    private PermutationResult runOne(ProbeSpec spec, int number, List<ProbeSpec.Step> schedule, List<SessionRun> sessions,
                                     CheckExpression expect) throws Exception {
        resetWorkspace(spec, sessions);
        runStatements(spec.setup(), "setup", spec);
        Interleaver.Run run = new Interleaver(dialect, monitor, sessions, stepTimeout, clock).run(schedule);
        Map<String, Object> values = new LinkedHashMap<>(run.reads());
        long committed = run.outcomes().stream().filter(o -> o.status().equals("committed")).count();
        values.put("committed", java.math.BigDecimal.valueOf(committed));
        values.put("aborted", java.math.BigDecimal.valueOf(run.outcomes().stream().filter(PermutationResult.SessionOutcome::aborted).count()));
        values.put("rolled_back", java.math.BigDecimal.valueOf(run.outcomes().stream().filter(o -> o.status().equals("rolled back")).count()));
        values.put("unknown", java.math.BigDecimal.ZERO); // a permutation's sessions always learn how their steps ended
        for (PermutationResult.SessionOutcome o : run.outcomes()) {
            String session = o.session().toLowerCase(Locale.ROOT);
            values.put(session + ".committed", one(o.status().equals("committed")));
            values.put(session + ".aborted", one(o.aborted()));
            values.put(session + ".rolled_back", one(o.status().equals("rolled back")));
            values.put(session + ".unknown", java.math.BigDecimal.ZERO);
        }
        CheckRun check = check(spec, expect, values);
        Map<String, Object> shown = check.shown();
        java.util.Set<String> ran = new java.util.HashSet<>();
        for (ProbeSpec.Step step : schedule) ran.add(step.id().toLowerCase(Locale.ROOT));
        for (String ref : expect.references()) {
            boolean stepRead = ref.chars().filter(c -> c == '.').count() == 2;
            if (stepRead && ran.contains(ref.substring(0, ref.lastIndexOf('.')))) shown.put(ref, check.values().get(ref));
        }
        boolean passed = check.passed();
        runStatements(spec.teardown(), "teardown", spec);
        return new PermutationResult(number, schedule.stream().map(ProbeSpec.Step::id).toList(), run.events(), run.reordered(),
                run.outcomes(), shown, passed);
    }

    private static java.math.BigDecimal one(boolean yes) {
        return yes ? java.math.BigDecimal.ONE : java.math.BigDecimal.ZERO;
    }

    /** The values the check saw (its queries' columns beside {@code given}), the ones to show, and whether it holds. */
    record CheckRun(Map<String, Object> values, Map<String, Object> shown, boolean passed) {
    }

    /** Runs the check queries after {@code given} (counts, a permutation's reads) and evaluates the expression on them all. */
    CheckRun check(ProbeSpec spec, CheckExpression expect, Map<String, Object> given) {
        Map<String, Object> shown = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>(given);
        Object first = null;
        for (Map.Entry<String, String> q : spec.check().queries().entrySet()) {
            Map<String, Object> row = queryFirstRow(q.getValue(), spec);
            Object value = row.isEmpty() ? null : row.values().iterator().next();
            if (first == null) first = value;
            values.putIfAbsent(q.getKey(), value);
            row.forEach((k, v) -> {
                values.putIfAbsent(k, v);
                shown.putIfAbsent(k, v);
            });
            if (row.isEmpty()) shown.put(q.getKey(), null);
        }
        try {
            Object result = expect.evaluate(values);
            boolean passed = expect.isComparison() ? CheckExpression.truth(result) : CheckExpression.same(first, result);
            return new CheckRun(values, shown, passed);
        } catch (CheckExpression.UnknownName | CheckExpression.OutOfRange e) {
            throw new UsageException(spec.source() + ": check.expect: " + e.getMessage());
        }
    }

    /**
     * Load mode: the setup once, then every session's whole transaction from {@code plan}'s
     * worker processes and threads, then the check on what they left, then the teardown.
     * {@code progress} may be null.
     */
    public LoadResult load(ProbeSpec spec, LoadPlan plan, String storeName, PrintWriter progress) {
        CheckExpression expect = CheckExpression.parse(spec.check().expect());
        for (String ref : expect.references()) {
            if (ref.chars().filter(c -> c == '.').count() == 2) {
                throw new UsageException(spec.source() + ": check.expect uses " + ref + ", what one step read; under --mode load every"
                        + " step runs many times, so the check may use its queries, committed, aborted, rolled_back, unknown and"
                        + " SESSION.committed, SESSION.aborted");
            }
        }
        long needed = (long) plan.instances() * plan.threads()
                * spec.sessions().stream().map(s -> s.isolation() == null ? "default" : s.isolation().name()).distinct().count();
        try {
            long headroom = dialect.connectionHeadroom(monitor);
            if (needed > headroom - 4) {
                throw new UsageException(storeName + " accepts " + Math.max(0, headroom) + " more connections now, and the load needs "
                        + needed + " (instances x threads, one per isolation level the sessions use) and a few to spare;"
                        + " use fewer --threads or --instances, or raise the server's max_connections");
            }
            resetWorkspace(spec, List.of());
        } catch (UsageException e) {
            throw e;
        } catch (Exception e) {
            throw new UsageException(spec.source() + ": " + e.getMessage(), e);
        }
        runStatements(spec.setup(), "setup", spec);
        if (progress != null) {
            progress.printf(Locale.ROOT, "racelab: probe %s under load on %s: %d instance(s) x %d thread(s) x %,d transactions = %,d,"
                    + " the sessions (%s) in round robin%n", spec.name(), serverVersion, plan.instances(), plan.threads(),
                    plan.iterations(), plan.planned(), String.join(", ", spec.sessions().stream().map(ProbeSpec.Session::name).toList()));
            if (!spec.permutations().isEmpty()) progress.println("racelab: the spec's permutations are for --mode interleave; load ignores them");
            progress.flush();
        }
        List<WorkerTally> tallies = LoadFleet.run(new LoadWorkerSpec(url, workspace, spec.sessions(), plan), spec.name(), progress);
        LoadSummary summary = LoadSummary.of(spec, tallies);
        CheckRun check = check(spec, expect, summary.checkValues());
        runStatements(spec.teardown(), "teardown", spec);
        return summary.result(spec, plan, storeName, serverVersion, workspace, expect, check);
    }

    private void resetWorkspace(ProbeSpec spec, List<SessionRun> sessions) throws Exception {
        if (ownsWorkspace) {
            execute(monitor, dialect.dropWorkspace(workspace));
            execute(monitor, dialect.createWorkspace(workspace));
        }
        execute(monitor, dialect.useWorkspace(workspace));
        for (SessionRun s : sessions) s.runNow(dialect.useWorkspace(workspace));
    }

    private SessionRun openSession(ProbeSpec.Session spec) throws SQLException {
        Connection c = connect(spec.name(), url);
        try {
            execute(c, dialect.useWorkspace(workspace));
            if (spec.isolation() != null) execute(c, dialect.setIsolation(spec.isolation()));
            return new SessionRun(spec, c, dialect.sessionId(c));
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private void runStatements(List<String> statements, String what, ProbeSpec spec) {
        for (String sql : statements) {
            try {
                execute(monitor, sql);
            } catch (SQLException e) {
                throw new UsageException(spec.source() + ": " + what + " failed at '" + oneLine(sql) + "': " + oneLine(e.getMessage()), e);
            }
        }
    }

    private Map<String, Object> queryFirstRow(String sql, ProbeSpec spec) {
        Map<String, Object> row = new LinkedHashMap<>();
        try (Statement s = monitor.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            if (rs.next()) {
                for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
            }
        } catch (SQLException e) {
            throw new UsageException(spec.source() + ": check query failed at '" + oneLine(sql) + "': " + oneLine(e.getMessage()), e);
        }
        return row;
    }

    private static Connection connect(String storeName, String url) {
        DriverManager.setLoginTimeout(10);
        try {
            return DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new UsageException("cannot connect to " + storeName + " at " + url.replaceAll("(?i)(password=)[^&;]*", "$1***")
                    + ": " + oneLine(e.getMessage()));
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        return s.replaceAll("\\s+", " ").trim();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    @Override
    public void close() {
        try {
            if (ownsWorkspace) execute(monitor, dialect.dropWorkspace(workspace));
        } catch (SQLException e) {
            throw new UsageException("could not drop racelab's workspace " + workspace + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(monitor);
        }
    }
}

package dev.racelab.junit.internal;

import dev.racelab.internal.sqlwait.LockWaits;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The user's DataSource behind java.lang.reflect.Proxy wrappers of DataSource, Connection and the
 * statements. Each JDBC call that reaches the database (getConnection, every execute, commit and
 * rollback) made on an invocation's thread while a schedule runs goes through the scheduler as one
 * step; every other call, and every call from another thread, goes straight to the driver.
 */
final class InterleavedDataSource {
    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");
    private static final int SQL_SHOWN = 200;

    private final DataSource raw;
    private final DataSource proxy;
    private volatile Scheduler active;
    private volatile LockWaits waits;
    /** Load mode: the connections each thread holds and the statement it runs, so a cut-off invocation's can be ended. */
    private volatile boolean tracking;
    private final Map<Thread, Held> held = new ConcurrentHashMap<>();

    /** What one thread holds through this DataSource. */
    private static final class Held {
        final List<Connection> connections = new ArrayList<>();
        Statement running;
    }

    /** Run at the start of each transaction of an invocation, such as a short deadlock_timeout; null for none. */
    private volatile String perTransaction;
    /** Whether {@link #perTransaction} ran in some transaction, for the message. */
    volatile boolean perTransactionRan;

    InterleavedDataSource(DataSource raw) {
        this.raw = raw;
        this.proxy = (DataSource) Proxy.newProxyInstance(InterleavedDataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                this::onDataSource);
    }

    DataSource proxy() {
        return proxy;
    }

    DataSource raw() {
        return raw;
    }

    void activate(Scheduler scheduler, LockWaits waits, String perTransaction) {
        this.waits = waits;
        this.perTransaction = perTransaction;
        this.active = scheduler;
    }

    void deactivate() {
        this.active = null;
    }

    /** Load mode: from now on remember each thread's connections and running statement, for {@link #release(Thread)}. */
    void track() {
        this.tracking = true;
    }

    /** Ends what a cut-off invocation's thread holds: see {@link CutOff}. */
    void release(Thread thread) {
        Held h = held.remove(thread);
        if (h == null) return;
        List<Connection> open;
        Statement running;
        synchronized (h) {
            open = List.copyOf(h.connections);
            running = h.running;
        }
        CutOff.end(running, open, PoolWatch.of(raw));
    }

    private Held heldByMe() {
        return held.computeIfAbsent(Thread.currentThread(), k -> new Held());
    }

    /**
     * A connection that watches the server's lock-wait view. For HikariCP, a connection of its own
     * to the same URL, so the watch takes no place in the user's pool; else one from the DataSource.
     */
    Connection openMonitor() throws SQLException {
        try {
            String url = (String) raw.getClass().getMethod("getJdbcUrl").invoke(raw);
            String user = (String) raw.getClass().getMethod("getUsername").invoke(raw);
            String password = (String) raw.getClass().getMethod("getPassword").invoke(raw);
            if (url != null) return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
        } catch (ReflectiveOperationException | RuntimeException notHikari) {
            // any other DataSource
        }
        return raw.getConnection();
    }

    private Scheduler.Turn turn() {
        Scheduler s = active;
        Scheduler.Turn t = Scheduler.CURRENT.get();
        return s != null && t != null && t.scheduler() == s ? t : null;
    }

    private Object onDataSource(Object self, Method m, Object[] args) throws Throwable {
        if (isObjectMethod(m, self, args)) return objectMethod(m, self, args);
        if (!m.getName().equals("getConnection")) return invoke(raw, m, args);
        Scheduler.Turn t = turn();
        Connection c = t == null ? (Connection) invoke(raw, m, args)
                : t.scheduler().step(t, Scheduler.Transaction.NONE, "getConnection", true, -1, null, () -> (Connection) invokeSql(raw, m, args));
        long session = t == null ? -1 : Sessions.of(c, waits);
        if (t != null) t.scheduler().opened(t, c);
        else if (tracking) {
            Held h = heldByMe();
            synchronized (h) {
                h.connections.add(c);
            }
        }
        return wrapConnection(c, session, t);
    }

    /** Which transaction of the schedule a connection's statements run in: 0 while none is open (auto-commit). */
    private static final class Tx implements Scheduler.Transaction {
        /** The schedule's number for the open transaction, given when its first step is granted; 0 before. */
        int number;
        /** A statement ran since auto-commit was turned off or the last commit or rollback. */
        boolean begun;

        @Override
        public int number(java.util.function.IntSupplier next) {
            if (number == 0) number = next.getAsInt();
            return number;
        }
    }

    private Connection wrapConnection(Connection c, long session, Scheduler.Turn owner) {
        Connection[] self = new Connection[1];
        Tx tx = new Tx();
        self[0] = (Connection) Proxy.newProxyInstance(InterleavedDataSource.class.getClassLoader(), new Class<?>[]{Connection.class},
                (p, m, args) -> {
                    if (isObjectMethod(m, p, args)) return objectMethod(m, p, args);
                    String name = m.getName();
                    if (name.equals("close") && owner != null) owner.scheduler().closed(owner, c);
                    if (name.equals("close") && tracking) {
                        Held h = held.get(Thread.currentThread());
                        if (h != null) {
                            synchronized (h) {
                                h.connections.remove(c);
                            }
                        }
                    }
                    if (name.equals("commit") || name.equals("rollback")) {
                        Scheduler.Turn t = turn();
                        if (t == null) return invoke(c, m, args);
                        Scheduler.Transaction in = tx.begun ? tx : Scheduler.Transaction.NONE;
                        try {
                            return t.scheduler().step(t, in, name, false, session, null, () -> invokeSql(c, m, args));
                        } finally {
                            tx.begun = false;
                            tx.number = 0;
                        }
                    }
                    Object result = invoke(c, m, args);
                    if (result instanceof Statement st && (name.equals("createStatement") || name.equals("prepareStatement")
                            || name.equals("prepareCall"))) {
                        String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                        return wrapStatement(st, self[0], c, tx, session, sql, m.getReturnType());
                    }
                    return result;
                });
        return self[0];
    }

    private Object wrapStatement(Statement st, Connection connection, Connection raw, Tx tx, long session, String sql, Class<?> type) {
        Class<?> iface = type == CallableStatement.class ? CallableStatement.class
                : type == PreparedStatement.class ? PreparedStatement.class : Statement.class;
        TreeMap<Integer, Object> params = new TreeMap<>();
        List<String> batch = new ArrayList<>();
        return Proxy.newProxyInstance(InterleavedDataSource.class.getClassLoader(), new Class<?>[]{iface}, (p, m, args) -> {
            if (isObjectMethod(m, p, args)) return objectMethod(m, p, args);
            String name = m.getName();
            if (name.equals("getConnection")) return connection;
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer i && m.getDeclaringClass() != Statement.class) {
                params.put(i, args[1]);
            } else if (name.equals("clearParameters")) {
                params.clear();
            } else if (name.equals("addBatch")) {
                batch.add(args != null && args.length == 1 && args[0] instanceof String s ? shown(s, null) : shown(sql, params));
            } else if (name.equals("clearBatch")) {
                batch.clear();
            }
            if (!EXECUTES.contains(name)) return invoke(st, m, args);
            Scheduler.Turn t = turn();
            if (t == null && tracking) {
                Held h = heldByMe();
                synchronized (h) {
                    h.running = st;
                }
                try {
                    return invoke(st, m, args);
                } finally {
                    synchronized (h) {
                        h.running = null;
                    }
                }
            }
            if (t == null) return invoke(st, m, args);
            String text = name.endsWith("Batch") ? "batch of " + batch.size() + ": " + String.join("; ", batch)
                    : args != null && args.length > 0 && args[0] instanceof String s ? shown(s, null) : shown(sql, params);
            if (name.endsWith("Batch")) batch.clear();
            boolean autocommit = raw.getAutoCommit();
            boolean begins = !autocommit && !tx.begun;
            if (!autocommit) tx.begun = true;
            Scheduler.Transaction in = autocommit ? Scheduler.Transaction.AUTOCOMMIT : tx;
            String first = begins ? perTransaction : null;
            return t.scheduler().step(t, in, text, false, session, st, () -> {
                if (first != null) {
                    try (Statement set = raw.createStatement()) {
                        set.execute(first);
                    }
                    perTransactionRan = true;
                }
                return invokeSql(st, m, args);
            });
        });
    }

    /** The statement as the schedule prints it: one line, with the bound parameters after it. */
    private static String shown(String sql, TreeMap<Integer, Object> params) {
        String line = sql == null ? "(statement)" : sql.replaceAll("\\s+", " ").trim();
        if (line.length() > SQL_SHOWN) line = line.substring(0, SQL_SHOWN - 3) + "...";
        if (params == null || params.isEmpty()) return line;
        List<String> values = new ArrayList<>();
        for (Object v : params.values()) values.add(v instanceof String s ? "'" + s + "'" : String.valueOf(v));
        return line + " [" + String.join(", ", values) + "]";
    }

    private static boolean isObjectMethod(Method m, Object self, Object[] args) {
        return m.getDeclaringClass() == Object.class;
    }

    private static Object objectMethod(Method m, Object self, Object[] args) {
        return switch (m.getName()) {
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            default -> "racelab interleaved " + self.getClass().getInterfaces()[0].getSimpleName() + "@"
                    + Integer.toHexString(System.identityHashCode(self));
        };
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object invokeSql(Object target, Method m, Object[] args) throws SQLException {
        try {
            return invoke(target, m, args);
        } catch (SQLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new SQLException(t);
        }
    }
}

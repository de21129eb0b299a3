import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * For bench/jdbc-floor.sh: the fastest a JVM client can run racelab's atomic increment through
 * the same JDBC driver, with nothing of racelab's around it: one connection, no pool, no
 * history, the statement prepared and closed per call as racelab's store does. Runs N
 * increments untimed (JIT warm-up), then N timed, and prints "OPS_PER_SEC CPU_US_PER_OP".
 *
 * <p>Usage: java -cp racelab.jar bench/JdbcFloor.java JDBC_URL KEY N
 */
public class JdbcFloor {
    private static final String SQL = "UPDATE racelab_cell SET v = v + ?, version = version + 1 WHERE k = ?";

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: JdbcFloor JDBC_URL KEY N");
            System.exit(2);
        }
        int n = Integer.parseInt(args[2]);
        try (Connection c = DriverManager.getConnection(args[0])) {
            increments(c, args[1], n); // warm-up, not measured
            var threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            increments(c, args[1], n);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1000.0 / n;
            System.out.printf("%.1f %.1f%n", n / seconds, cpuMicros);
        }
    }

    private static void increments(Connection c, String key, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setLong(1, 1);
                ps.setString(2, key);
                if (ps.executeUpdate() != 1) throw new IllegalStateException("no row " + key);
            }
        }
    }
}

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * For bench/http-spread.sh: the bare JDBC driver's side of the HTTP-on-spread-rows benchmark.
 * T platform threads, one connection each (no pool, no HTTP, nothing of racelab's), deposit
 * 10.00 into a random one of accounts 1..N (racelab serve's rows, {@code svc/account:<id>} in
 * racelab_cell) with the statements racelab serve's atomic deposit route sends to MariaDB:
 * the UPDATE, then the SELECT of the new balance ({@code update-select}), or the UPDATE alone
 * ({@code update}). Each statement is prepared and closed per call, as racelab's store does.
 * Runs WARMUP seconds unmeasured, then SECONDS measured, and prints
 * "OPS_PER_SEC DEPOSITS_MEASURED DEPOSITS_TOTAL CPU_US_PER_DEPOSIT" (total includes the warm-up, for
 * the balance check; CPU is this JVM's, all threads, over the measured window).
 *
 * <p>Usage: java -cp racelab.jar bench/JdbcSpread.java JDBC_URL THREADS ACCOUNTS WARMUP SECONDS update-select|update
 */
public class JdbcSpread {
    private static final String UPDATE = "UPDATE racelab_cell SET v = v + ?, version = version + 1 WHERE k = ?";
    private static final String SELECT = "SELECT v, version FROM racelab_cell WHERE k = ?";
    private static final long DEPOSIT_CENTS = 1000;

    public static void main(String[] args) throws Exception {
        if (args.length != 6 || !(args[5].equals("update-select") || args[5].equals("update"))) {
            System.err.println("usage: JdbcSpread JDBC_URL THREADS ACCOUNTS WARMUP_SECONDS SECONDS update-select|update");
            System.exit(2);
        }
        String url = args[0];
        int threads = Integer.parseInt(args[1]);
        int accounts = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]);
        double seconds = Double.parseDouble(args[4]);
        boolean select = args[5].equals("update-select");

        LongAdder total = new LongAdder();
        LongAdder measured = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        CyclicBarrier connected = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    connected.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        String key = "svc/account:" + (1 + random.nextInt(accounts));
                        deposit(c, key, select);
                        total.increment();
                        if (measuring.get()) measured.increment();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    stop.set(true);
                }
            });
            t.start();
            workers.add(t);
        }
        connected.await();
        Thread.sleep((long) (warmup * 1000));
        // A deposit that straddles the switch counts on the side it finishes: the error is at most one per thread.
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep((long) (seconds * 1000));
        measuring.set(false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long done = measured.sum();
        long cpu = os.getProcessCpuTime() - cpu0;
        stop.set(true);
        for (Thread t : workers) t.join();
        if (!failures.isEmpty()) {
            System.err.println("JdbcSpread: " + failures.size() + " threads failed, first: " + failures.get(0));
            System.exit(1);
        }
        System.out.printf("%.1f %d %d %.1f%n", done / elapsed, done, total.sum(), cpu / 1000.0 / Math.max(1, done));
    }

    private static void deposit(Connection c, String key, boolean select) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setLong(1, DEPOSIT_CENTS);
            ps.setString(2, key);
            if (ps.executeUpdate() != 1) throw new IllegalStateException("no row " + key);
        }
        if (!select) return;
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no row " + key);
                rs.getLong(1);
            }
        }
    }
}

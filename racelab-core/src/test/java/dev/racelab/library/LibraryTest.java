package dev.racelab.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.core.StoreException;
import dev.racelab.retry.Retrier;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.testing.TestStores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The library face on the real PostgreSQL and MariaDB, Redis and ZooKeeper, each race forced. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibraryTest {
    private final String table = "lib_accounts_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private HikariDataSource postgres;
    private HikariDataSource mysql;

    @BeforeAll
    void createTables() throws SQLException {
        postgres = pool(TestStores.postgres().url());
        mysql = pool(TestStores.mysql().url());
        for (DataSource ds : List.of(postgres, mysql)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL, version BIGINT NOT NULL, fence BIGINT NOT NULL)");
            }
        }
    }

    @AfterAll
    void dropTables() throws SQLException {
        for (DataSource ds : List.of(postgres, mysql)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("DROP TABLE IF EXISTS " + table + "_keys");
            }
        }
        postgres.close();
        mysql.close();
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(10);
        return new HikariDataSource(config);
    }

    private DataSource db(String name) {
        return name.equals("postgres") ? postgres : mysql;
    }

    private long newAccount(DataSource ds, long balance) throws SQLException {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, 0, 0)")) {
            ps.setLong(1, id);
            ps.setLong(2, balance);
            ps.executeUpdate();
        }
        return id;
    }

    private long balance(DataSource ds, long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void concurrentOptimisticDepositsLoseNothing(String store) throws Exception {
        DataSource ds = db(store);
        long id = newAccount(ds, 0);
        OptimisticUpdate balances = OptimisticUpdate.on(ds, table, "balance", "version");
        Retrier retrier = Retrier.of(RetryPolicy.exponentialJitter(Duration.ofMillis(1), Duration.ofMillis(20), 1000));
        int threads = 8, each = 25;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> applied = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            applied.add(pool.submit(() -> {
                start.await();
                int ok = 0;
                for (int i = 0; i < each; i++) if (balances.add(id, 1, retrier).applied()) ok++;
                return ok;
            }));
        }
        int total = 0;
        for (Future<Integer> f : applied) total += f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(total).isEqualTo(threads * each);
        assertThat(balance(ds, id)).isEqualTo(threads * each);
    }

    /** Another writer commits between this update's read and its write, once: the first attempt must lose, the retry win. */
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void aLostRaceIsRetriedOrReportedAsAValue(String store) throws Exception {
        DataSource ds = db(store);
        long id = newAccount(ds, 100);
        AtomicInteger interruptions = new AtomicInteger(1);
        DataSource racing = writesBeforeEachUpdate(ds, "UPDATE " + table + " SET balance = balance + 1000, version = version + 1 WHERE id = " + id, interruptions);

        UpdateResult once = OptimisticUpdate.on(racing, table, "balance", "version").add(id, 5, Retrier.of(RetryPolicy.NONE));
        assertThat(once.kind()).isEqualTo(UpdateResult.Kind.CONFLICTS_EXHAUSTED);
        assertThat(balance(ds, id)).isEqualTo(1100);

        interruptions.set(1);
        UpdateResult retried = OptimisticUpdate.on(racing, table, "balance", "version").add(id, 5, Retrier.of(RetryPolicy.attempts(3)));
        assertThat(retried.kind()).isEqualTo(UpdateResult.Kind.APPLIED);
        assertThat(retried.retries()).isEqualTo(1);
        assertThat(retried.value()).isEqualTo(2105);
        assertThat(balance(ds, id)).isEqualTo(2105);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void aFloorRefusesAnOverdraftAndWritesNothing(String store) throws Exception {
        DataSource ds = db(store);
        long id = newAccount(ds, 5);
        UpdateResult r = OptimisticUpdate.on(ds, table, "balance", "version").withFloor(0).add(id, -10, Retrier.of(RetryPolicy.DEFAULT));
        assertThat(r.kind()).isEqualTo(UpdateResult.Kind.BELOW_FLOOR);
        assertThat(r.value()).isEqualTo(5);
        assertThat(balance(ds, id)).isEqualTo(5);
        assertThatThrownBy(() -> OptimisticUpdate.on(ds, table, "balance", "version").add(-1L, 1, Retrier.of(RetryPolicy.NONE)))
                .hasMessageContaining("no row in " + table + " has id = -1");
        assertThatThrownBy(() -> OptimisticUpdate.on(ds, table + "; DROP TABLE x", "balance", "version"))
                .hasMessageContaining("table");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void aStaleFenceIsRefusedByTheDatabase(String store) throws Exception {
        DataSource ds = db(store);
        long id = newAccount(ds, 0);
        FencedWrite writes = FencedWrite.on(ds, table, "balance", "fence");
        assertThat(writes.write(id, 20, 2)).isTrue();
        assertThat(writes.write(id, 10, 1)).as("the paused holder's older token").isFalse();
        assertThat(writes.write(id, 30, 2)).as("the holder of token 2 writes again under its lease").isTrue();
        assertThat(writes.write(id, 40, 3)).isTrue();
        assertThat(balance(ds, id)).isEqualTo(40);
        assertThat(writes.read(id, 2, Long.class)).as("a read with an older token than the row took").isEmpty();
        assertThat(writes.read(id, 4, Long.class)).contains(40L);
        assertThat(writes.write(id, 50, 3)).as("the fenced read raised the fence to 4").isFalse();
        assertThat(balance(ds, id)).isEqualTo(40);
    }

    /**
     * The moment the fenced read exists for, forced with latches: A holds the lease (token t1)
     * and has read; its lease runs out and B takes it (t2 > t1) and does its fenced read; only
     * then does A write, and only after A's write does B write. A's write must be refused: were
     * it accepted, B's write (computed from what it read before) would overwrite it, and A's
     * acknowledged deposit would be lost.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void aStaleHolderCannotWriteBetweenTheNextHoldersFencedReadAndItsWrite(String store) throws Exception {
        DataSource ds = db(store);
        long id = newAccount(ds, 100);
        FencedWrite balances = FencedWrite.on(ds, table, "balance", "fence");
        String name = "lib-test/" + TestStores.uniquePrefix() + id;
        CountDownLatch aRead = new CountDownLatch(1);
        CountDownLatch bRead = new CountDownLatch(1);
        CountDownLatch aWrote = new CountDownLatch(1);
        long[] tokens = new long[2];
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (LeaseLock locks = LeaseLock.redis(TestStores.redis().url())) {
            // A's lease is short, so B can take it while A still holds the value it read.
            Future<Optional<Boolean>> a = pool.submit(() -> locks.withLease(name, Duration.ofMillis(300), fence -> {
                tokens[0] = fence;
                long read = balances.read(id, fence, Long.class).orElseThrow();
                aRead.countDown();
                await(bRead);
                boolean written = balances.write(id, read + 5, fence);
                aWrote.countDown();
                return written;
            }));
            assertThat(aRead.await(30, TimeUnit.SECONDS)).as("A read under its lease").isTrue();
            Optional<Boolean> b = Optional.empty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (b.isEmpty() && System.nanoTime() < deadline) {
                // Empty while A's lease lasts: a lost race for the lease, tried again until it has run out.
                b = locks.withLease(name, Duration.ofSeconds(30), fence -> {
                    tokens[1] = fence;
                    long read = balances.read(id, fence, Long.class).orElseThrow();
                    bRead.countDown();
                    await(aWrote);
                    return balances.write(id, read + 7, fence);
                });
                if (b.isEmpty()) Thread.sleep(10);
            }
            assertThat(b).as("B took the lease once A's ran out").contains(true);
            assertThat(tokens[1]).isGreaterThan(tokens[0]);
            assertThat(a.get(30, TimeUnit.SECONDS)).as("A's stale write, after B's fenced read").contains(false);
            assertThat(balance(ds, id)).as("100 and B's acknowledged 7; A was told its write was refused").isEqualTo(107);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("the other holder never got there");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void anIdempotencyKeyDoesTheWorkOnceAndRollsBackWithIt(String store) throws Exception {
        DataSource ds = db(store);
        long id = newAccount(ds, 100);
        IdempotencyKeys keys = IdempotencyKeys.on(ds, table + "_keys").createTableIfAbsent();
        String key = "charge-" + id;
        IdempotencyKeys.Work charge = c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = balance - 30 WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return "charged 30";
        };
        String failingKey = key + "-failing";
        assertThatThrownBy(() -> keys.once(failingKey, c -> {
            charge.run(c);
            throw new SQLException("the payment provider said no");
        })).isInstanceOf(StoreException.class).hasMessageContaining("the payment provider said no");
        assertThat(balance(ds, id)).as("the work rolled back with its key").isEqualTo(100);
        assertThat(keys.once(failingKey, charge)).isEqualTo(new IdempotencyKeys.Once(true, "charged 30"));

        assertThat(keys.once(key, charge)).isEqualTo(new IdempotencyKeys.Once(true, "charged 30"));
        assertThat(keys.once(key, charge)).isEqualTo(new IdempotencyKeys.Once(false, "charged 30"));
        assertThat(balance(ds, id)).isEqualTo(40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "zookeeper"})
    void aLeaseWrapsTheWorkWithAGrowingFenceAndIsExclusive(String store) {
        String name = "lib-test/" + TestStores.uniquePrefix();
        try (LeaseLock locks = store.equals("redis") ? LeaseLock.redis(TestStores.redis().url()) : LeaseLock.zookeeper("127.0.0.1:2181")) {
            Optional<Long> first = locks.withLease(name, Duration.ofSeconds(10), fence -> {
                Optional<Long> inner = locks.withLease(name, Duration.ofSeconds(10), f -> f);
                assertThat(inner).as("a held lease is a lost race, not a wait").isEmpty();
                return fence;
            });
            Optional<Long> second = locks.withLease(name, Duration.ofSeconds(10), fence -> fence);
            assertThat(first).hasValueSatisfying(f -> assertThat(f).isPositive());
            assertThat(second.orElseThrow()).isGreaterThan(first.orElseThrow());
        }
    }

    /** A DataSource whose connections run {@code competing} on a separate connection just before each of the next N UPDATEs. */
    private static DataSource writesBeforeEachUpdate(DataSource ds, String competing, AtomicInteger remaining) throws SQLException {
        String url;
        try (Connection c = ds.getConnection()) {
            url = c.getMetaData().getURL();
        }
        return (DataSource) Proxy.newProxyInstance(LibraryTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, args) -> {
            Object real = invoke(ds, m, args);
            if (!m.getName().equals("getConnection")) return real;
            Connection connection = (Connection) real;
            return Proxy.newProxyInstance(LibraryTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (cp, cm, cargs) -> {
                if (cm.getName().equals("prepareStatement") && ((String) cargs[0]).startsWith("UPDATE") && remaining.getAndDecrement() > 0) {
                    try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement()) {
                        s.executeUpdate(competing);
                    }
                }
                return invoke(connection, cm, cargs);
            });
        });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

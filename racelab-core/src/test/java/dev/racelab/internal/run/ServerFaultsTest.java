package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.os.Signals;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.store.StoreAddress;
import dev.racelab.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The nemesis on the stores' servers: the cell store paused whole (PostgreSQL's postmaster and
 * every backend, MariaDB), and the lease store restarted or paused at the moment a worker holds
 * a lease between its read and its write (the worker says "holding" first). Every run keeps
 * its verdict; what racelab may not touch or cannot pause is refused before anything runs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServerFaultsTest {
    private static final Duration PAUSE = Duration.ofSeconds(2);

    private static RunSpec spec(String cells, String leases, String strategy, int threads, long iterations, long thinkMs,
                                FaultKind fault, Duration ttl) {
        // The first fault as the load starts: each worker has its whole load before it then, so the
        // fault cannot miss a load that a fast machine ends early; the next ones come each second.
        NemesisPlan plan = new NemesisPlan(List.of(fault), Duration.ofSeconds(1), PAUSE, Duration.ZERO);
        return RunSpec.builder().scenario("counter").store(cells).strategy(strategy).instances(2)
                .threads(threads).iterations(iterations).think(Duration.ofMillis(thinkMs))
                .leaseStore(leases).nemesis(plan).leaseTtl(ttl).build();
    }

    private static ServerControl control(String store, Provisioned server) {
        return StoreRegistry.current().control(store, server).orElseThrow();
    }

    @Test
    void aPausedPostgresStopsItsPostmasterAndEveryBackendAndAnswersNothingUntilContinued() throws Exception {
        ServerControl postgres = control("postgres", Provisioned.at(TestStores.postgres()));
        assertThat(postgres.whyItCannotPause()).isEmpty();
        String url = TestStores.postgres().url() + "&socketTimeout=1";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            long backend = single(s, "SELECT pg_backend_pid()");
            java.nio.file.Path pidFile = dataDirectory(s).resolve("postmaster.pid");
            List<Long> tree;
            postgres.pauseServer();
            try {
                tree = Signals.withDescendants(Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).trim()));
                assertThat(tree).as("this connection's backend is one of the postmaster's children").contains(backend);
                assertThat(tree).as("the postmaster and every process under it").allMatch(Signals::isStopped);
                assertThatThrownBy(() -> single(s, "SELECT 1")).as("a stopped backend answers nothing")
                        .isInstanceOf(SQLException.class);
            } finally {
                postgres.resumeServer();
            }
            assertThat(tree).noneMatch(Signals::isStopped);
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void anAtomicRunThroughPausesOfPostgresLosesNothing() {
        RunSpec run = spec("postgres", null, "atomic", 2, 1_500, 2, FaultKind.PAUSE_STORE, null);
        StringWriter progress = new StringWriter();
        RunResult r = new Coordinator(new PrintWriter(progress)).run(run, StoreAddresses.of(TestStores.postgres()),
                FaultTargets.cellsOnly(control("postgres", Provisioned.at(TestStores.postgres()))));
        assertThat(r.faults()).as(progress.toString()).isNotEmpty()
                .allMatch(f -> f.kind() == FaultKind.PAUSE_STORE && f.target().contains("PostgreSQL"));
        // The first pause starts as the load does, inside a run that think time keeps going for 3 s at least;
        // a later one may be cut short when the run ends, and the nemesis then resumes the server at once.
        assertThat(r.faults().get(0).endMs() - r.faults().get(0).startMs()).as(progress.toString())
                .isGreaterThanOrEqualTo(PAUSE.toMillis());
        assertThat(r.invoked()).isEqualTo(run.plannedOps());
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
    }

    @Test
    void mariaDbRestartedAndPausedMidRunKeepsEveryAcknowledgedIncrement() {
        ServerControl mariadb = control("mysql", Provisioned.at(TestStores.mysql()));
        NemesisPlan plan = new NemesisPlan(List.of(FaultKind.RESTART_STORE, FaultKind.PAUSE_STORE), Duration.ofSeconds(1), PAUSE);
        RunSpec run = RunSpec.builder().scenario("counter").store("mysql").strategy("pessimistic").instances(2)
                .threads(2).iterations(1_500).think(Duration.ofMillis(2)).nemesis(plan).build();
        StringWriter progress = new StringWriter();
        RunResult r = new Coordinator(new PrintWriter(progress)).run(run, StoreAddresses.of(TestStores.mysql()), FaultTargets.cellsOnly(mariadb));
        assertThat(r.faults()).as(progress.toString()).extracting(RunResult.Fault::kind).contains(FaultKind.RESTART_STORE, FaultKind.PAUSE_STORE);
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
    }

    /** The in-process ZooKeeper, restarted while a worker holds its lease: sessions and the lease come back. */
    @Test
    void zooKeeperRestartedWhileALeaseIsHeldKeepsTheFencedLockSafe() {
        try (Provisioned zookeeper = StoreRegistry.current().provision("zookeeper", TestStores.settings())) {
            RunSpec run = spec("postgres", "zookeeper", "lock-fenced", 1, 20, 2, FaultKind.RESTART_LEASE_STORE, Duration.ofSeconds(10));
            StringWriter progress = new StringWriter();
            RunResult r = new Coordinator(new PrintWriter(progress)).run(run,
                    new StoreAddresses(TestStores.postgres(), zookeeper.address(), null),
                    new FaultTargets(null, control("zookeeper", zookeeper)));
            assertThat(r.faults()).as(progress.toString()).isNotEmpty().allMatch(f -> f.kind() == FaultKind.RESTART_LEASE_STORE
                    && f.target().contains("in-process ZooKeeper") && f.target().contains("held the lease on"));
            assertThat(r.invoked()).isEqualTo(run.plannedOps());
            assertThat(r.lostUpdates()).isZero();
            assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
        }
    }

    /** The ZooKeeper bin/start-services runs as its own process, SIGSTOPped while a worker holds its lease. */
    @Test
    void aPausedZooKeeperServerLeavesTheFencedLockSafe() {
        StoreAddress local = new StoreAddress("zookeeper", "127.0.0.1:2181");
        ServerControl zookeeper = control("zookeeper", Provisioned.at(local));
        RunSpec run = spec("postgres", "zookeeper", "lock-fenced", 1, 300, 2, FaultKind.PAUSE_LEASE_STORE, Duration.ofSeconds(1));
        StringWriter progress = new StringWriter();
        RunResult r = new Coordinator(new PrintWriter(progress)).run(run, new StoreAddresses(TestStores.postgres(), local, null),
                new FaultTargets(null, zookeeper));
        assertThat(r.faults()).as(progress.toString()).isNotEmpty().allMatch(f -> f.kind() == FaultKind.PAUSE_LEASE_STORE
                && f.target().contains("127.0.0.1:2181") && f.target().contains("held the lease on"));
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
    }

    @Test
    void faultsOnAServerRacelabMayNotPauseOrOnLeasesARunDoesNotTakeAreRefusedBeforeTheRun() {
        try (Provisioned zookeeper = StoreRegistry.current().provision("zookeeper", TestStores.settings())) {
            RunSpec pauseEmbedded = spec("postgres", "zookeeper", "lock", 1, 10, 0, FaultKind.PAUSE_LEASE_STORE, null);
            assertThatThrownBy(() -> new Coordinator(new PrintWriter(new StringWriter())).run(pauseEmbedded,
                    new StoreAddresses(TestStores.postgres(), zookeeper.address(), null), new FaultTargets(null, control("zookeeper", zookeeper))))
                    .isInstanceOf(InvalidFieldException.class).hasMessageContaining("runs inside racelab's own JVM")
                    .hasMessageContaining("--zookeeper-url 127.0.0.1:2181");
        }
        RunSpec noLeases = spec("postgres", null, "atomic", 1, 10, 0, FaultKind.RESTART_LEASE_STORE, null);
        assertThatThrownBy(() -> new Coordinator(new PrintWriter(new StringWriter())).run(noLeases,
                StoreAddresses.of(TestStores.postgres()), FaultTargets.NONE))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("need a strategy that takes leases")
                .hasMessageContaining("atomic takes none");
        RunSpec sharedRedis = spec("redis", null, "lock", 1, 10, 0, FaultKind.PAUSE_LEASE_STORE, null);
        assertThatThrownBy(() -> new Coordinator(new PrintWriter(new StringWriter())).run(sharedRedis,
                StoreAddresses.of(TestStores.redis()), FaultTargets.NONE))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("store 'redis' at " + TestStores.redis().url() + " is neither");
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static java.nio.file.Path dataDirectory(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW data_directory")) {
            rs.next();
            return java.nio.file.Path.of(rs.getString(1));
        }
    }
}

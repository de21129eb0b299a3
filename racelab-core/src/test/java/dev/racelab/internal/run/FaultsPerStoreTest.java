package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fault table of docs/FAULTS.md, cell by cell, on the stores the other fault tests leave out:
 * kill-worker on MariaDB and Redis cells and under both lease strategies, pause-store on the
 * Redis racelab starts, and restart-lease-store on that Redis as the lease store. Each fault
 * lands at a moment a worker reports first ("holding"), as in KilledWorkerTest and
 * ServerFaultsTest; think time between read and write keeps each load running past the first
 * fault on any machine.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FaultsPerStoreTest {
    private static RunSpec counter(String cells, String leases, String strategy, int threads, long iterations, long thinkMs,
                                   NemesisPlan nemesis, Duration ttl) {
        return RunSpec.builder().scenario("counter").store(cells).strategy(strategy).instances(2)
                .threads(threads).iterations(iterations).think(Duration.ofMillis(thinkMs))
                .leaseStore(leases).nemesis(nemesis).leaseTtl(ttl).build();
    }

    private static ServerControl control(Provisioned server) {
        return StoreRegistry.current().control(server.address().name(), server).orElseThrow();
    }

    /** As KilledWorkerTest's pessimistic run on PostgreSQL: one thread per worker, so the held operation is the only one in flight. */
    /** iterations x thinkMs keeps each worker's load past the first kill at 1 s; no more, since each run here takes tens of seconds. */
    @ParameterizedTest(name = "kill-worker: {1} on {0} cells, {2} leases")
    @CsvSource(value = {"mysql, pessimistic, null, 2000, 1", "redis, optimistic, null, 800, 2", "postgres, lock, redis, 800, 2",
            "postgres, lock-fenced, redis, 800, 2"}, nullValues = "null")
    void aKilledWorkersAppliedOperationIsUnknownAndEveryAcknowledgedOneIsKept(String cells, String strategy, String leases,
                                                                               long iterations, long thinkMs) {
        NemesisPlan kill = new NemesisPlan(List.of(FaultKind.KILL_WORKER), Duration.ofSeconds(1), null);
        RunSpec spec = counter(cells, leases, strategy, 1, iterations, thinkMs, kill, null);
        StringWriter progress = new StringWriter();
        RunResult r = new Coordinator(new PrintWriter(progress)).run(spec,
                new StoreAddresses(TestStores.byName(cells), leases == null ? null : TestStores.byName(leases), null));

        assertThat(r.killedWorkers()).as(progress.toString()).isGreaterThanOrEqualTo(1);
        assertThat(r.faults()).hasSize(r.killedWorkers()).allMatch(f -> f.kind() == FaultKind.KILL_WORKER);
        assertThat(r.invoked()).as("replacements ran the rest").isEqualTo(r.planned());
        assertThat(r.unknown()).as("one operation applied and never answered per kill").isEqualTo(r.killedWorkers());
        assertThat(r.workerExits()).allSatisfy(e -> assertThat(e.exitCode()).isEqualTo(137));
        assertThat(r.actual()).as("the store holds the acknowledged and the killed operations").isEqualTo(r.ok() + r.unknown());
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
    }

    @Test
    void anOptimisticRunThroughPausesOfTheRedisRacelabStartedLosesNothing() {
        try (Provisioned redis = StoreRegistry.current().provision("redis-embedded", TestStores.settings())) {
            Duration pause = Duration.ofSeconds(2);
            NemesisPlan plan = new NemesisPlan(List.of(FaultKind.PAUSE_STORE), Duration.ofSeconds(1), pause);
            RunSpec spec = counter("redis-embedded", null, "optimistic", 2, 800, 2, plan, null);
            StringWriter progress = new StringWriter();
            RunResult r = new Coordinator(new PrintWriter(progress)).run(spec, StoreAddresses.of(redis.address()),
                    FaultTargets.cellsOnly(control(redis)));

            assertThat(r.faults()).as(progress.toString()).isNotEmpty().allMatch(f -> f.kind() == FaultKind.PAUSE_STORE);
            // The first pause starts at 1 s, inside a load think time keeps going for 1.6 s at least;
            // nothing is answered while Redis is stopped, so the load cannot end inside the pause.
            assertThat(r.faults().get(0).endMs() - r.faults().get(0).startMs()).as(progress.toString())
                    .isGreaterThanOrEqualTo(pause.toMillis());
            assertThat(r.invoked()).isEqualTo(spec.plannedOps());
            assertThat(r.lostUpdates()).isZero();
            assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
        }
    }

    /**
     * The lease store is the Redis racelab started, with an append-only file fsynced on every
     * write so its fence counters survive; it is restarted while a worker holds its lease
     * between read and write, and that worker is sent on to its write while Redis is down.
     */
    @Test
    void aRedisLeaseStoreRestartedWhileALeaseIsHeldKeepsTheFencedLockSafe() {
        StoreSettings aofAlways = StoreSettings.of(Map.of("redis-persistence", "aof-always"), System.getenv());
        try (Provisioned redis = StoreRegistry.current().provision("redis-embedded", aofAlways)) {
            // The first restart as the load starts, so a machine fast enough to end the load within a second still meets it.
            NemesisPlan plan = new NemesisPlan(List.of(FaultKind.RESTART_LEASE_STORE), Duration.ofSeconds(1), null, Duration.ZERO);
            // A 2 s TTL: the held worker's release fails while Redis is down, and its lease then lasts until it runs out.
            RunSpec spec = counter("postgres", "redis-embedded", "lock-fenced", 1, 150, 2, plan, Duration.ofSeconds(2));
            StringWriter progress = new StringWriter();
            RunResult r = new Coordinator(new PrintWriter(progress)).run(spec,
                    new StoreAddresses(TestStores.postgres(), redis.address(), null), new FaultTargets(null, control(redis)));

            assertThat(r.faults()).as(progress.toString()).isNotEmpty()
                    .allMatch(f -> f.kind() == FaultKind.RESTART_LEASE_STORE && f.target().contains("held the lease on"));
            assertThat(r.invoked()).isEqualTo(spec.plannedOps());
            assertThat(r.lostUpdates()).isZero();
            assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
        }
    }
}

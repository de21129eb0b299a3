package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A dead worker does not void the run. The nemesis kills a worker at the moment the store has
 * applied one of its operations and before the worker recorded the answer (the worker says so
 * first), so that operation is in flight for certain; a replacement runs the rest. A worker
 * killed from outside racelab is named, and the verdict is still given.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KilledWorkerTest {
    /**
     * {@code thinkMs} between read and write bounds how fast any machine can go, so the load
     * lasts long enough for the faults (pessimistic holds its row lock through the pause).
     */
    private static RunSpec counter(String strategy, int instances, int threads, long iterations, long thinkMs, NemesisPlan nemesis) {
        return RunSpec.builder().scenario("counter").store("postgres").strategy(strategy).instances(instances)
                .threads(threads).iterations(iterations).think(Duration.ofMillis(thinkMs))
                .nemesis(nemesis).build();
    }

    private static NemesisPlan killEvery(Duration every) {
        return new NemesisPlan(List.of(FaultKind.KILL_WORKER), every, null);
    }

    @Test
    void aWorkerKilledAtAForcedPointKeepsItsAcknowledgedOperationsAndItsInFlightOneIsUnknown() {
        StringWriter progress = new StringWriter();
        // One thread per worker: the operation holding at the kill is the only one in flight.
        RunSpec spec = counter("pessimistic", 2, 1, 3_000, 1, killEvery(Duration.ofMillis(1500)));
        RunResult r = new Coordinator(new PrintWriter(progress)).run(spec, TestStores.postgres());

        assertThat(r.killedWorkers()).as(progress.toString()).isGreaterThanOrEqualTo(1);
        assertThat(r.faults()).hasSize(r.killedWorkers()).allMatch(f -> f.kind() == FaultKind.KILL_WORKER);
        assertThat(r.invoked()).as("replacements ran the rest").isEqualTo(r.planned());
        assertThat(r.unknown()).as("one operation applied and never answered per kill").isEqualTo(r.killedWorkers());
        assertThat(r.workerExits()).allSatisfy(e -> {
            assertThat(e.exitCode()).isEqualTo(137);
            assertThat(e.inFlight()).isEqualTo(1);
            assertThat(e.cause()).contains("nemesis");
        });
        // The in-flight operation was applied before the kill: the store holds it, and the bounds allow it.
        assertThat(r.actual()).isEqualTo(r.ok() + r.unknown());
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
        assertThat(progress.toString()).contains("nemesis: kill -9 worker").contains("takes over its remaining");
    }

    /**
     * coalesce and sharded under kill -9: a killed worker's callers in flight (a coalesced
     * batch among them) are unknown, at most one per thread per kill, and the bounds hold.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"coalesce", "sharded"})
    void coalescedAndShardedCountersSurviveKilledWorkersWithTheUnknownsBounded(String strategy) {
        StringWriter progress = new StringWriter();
        int threads = 4;
        RunSpec spec = counter(strategy, 2, threads, 4_000, 0, killEvery(Duration.ofMillis(700)));
        RunResult r = new Coordinator(new PrintWriter(progress)).run(spec, TestStores.postgres());

        assertThat(r.killedWorkers()).as(progress.toString()).isGreaterThanOrEqualTo(1);
        assertThat(r.invoked()).as("replacements ran the rest").isEqualTo(r.planned());
        assertThat(r.unknown()).as("at most every thread's operation in flight, per kill")
                .isBetween(1L, (long) threads * r.killedWorkers());
        assertThat(r.workerExits()).allSatisfy(e -> assertThat(e.exitCode()).isEqualTo(137));
        assertThat(r.actual()).isBetween(r.ok(), r.ok() + r.unknown());
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
        if (strategy.equals("coalesce")) assertThat(r.meanBatch()).isNotNull();
    }

    /** The loss is forced: each worker's four threads all read before any of them writes (the read barrier). */
    @Test
    void naiveStillFailsUnderKillsWithTheLossTheSurvivingHistoryImplies() {
        RunSpec spec = counter("naive", 2, 4, 600, 5, killEvery(Duration.ofMillis(1000))).withReadBarrier(4);
        RunResult r = new Coordinator(new PrintWriter(new StringWriter())).run(spec, TestStores.postgres());

        assertThat(r.killedWorkers()).isGreaterThanOrEqualTo(1);
        assertThat(r.invoked()).isEqualTo(r.planned());
        assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
        assertThat(r.lostUpdates()).as("acknowledged increments the store does not hold").isPositive()
                .isEqualTo(r.expected() - r.actual());
        assertThat(r.expected()).as("the initial 0 plus what the histories acknowledged").isEqualTo(r.ok());
    }

    @Test
    void aWorkerKilledFromOutsideIsNamedAndTheVerdictIsStillGiven() throws Exception {
        StringWriter progress = new StringWriter();
        RunSpec spec = counter("pessimistic", 2, 2, 1_000, 2, NemesisPlan.NONE);
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(
                () -> new Coordinator(new PrintWriter(progress, true)).run(spec, TestStores.postgres()));
        ProcessHandle victim = awaitARunningWorker(progress, run);
        victim.destroyForcibly();
        RunResult r = run.get(240, TimeUnit.SECONDS);

        assertThat(r.workerExits()).singleElement().satisfies(e -> {
            assertThat(e.pid()).isEqualTo(victim.pid());
            assertThat(e.exitCode()).isEqualTo(137);
            assertThat(e.cause()).contains("outside racelab");
        });
        assertThat(r.killedWorkers()).as("not the nemesis's").isZero();
        assertThat(r.invoked()).as("no replacement without a nemesis").isLessThan(r.planned());
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(progress.toString()).contains("exited with code 137").contains("goes on without it");
    }

    /** A worker JVM of this test's run, once the load is under way (its first progress line), found as an outsider would. */
    private static ProcessHandle awaitARunningWorker(StringWriter progress, CompletableFuture<RunResult> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (run.isDone()) throw new AssertionError("the run ended before a worker could be killed: " + run.get() + "\n" + progress);
            if (progress.toString().contains("ops/s now")) {
                // This JVM's children that are JVMs: the run's workers (an embedded PostgreSQL or Redis is not a JVM).
                List<ProcessHandle> workers = ProcessHandle.current().children()
                        .filter(p -> p.info().command().orElse("").endsWith("/java")).toList();
                if (!workers.isEmpty()) return workers.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no worker was running after 120 s: " + progress);
    }
}

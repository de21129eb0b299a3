package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.report.Explainer;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.internal.scenario.CounterScenario;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cell store's server stopped and started mid-run by the nemesis. PostgreSQL keeps what it
 * committed; a Redis that keeps nothing on disk forgets it, and the checker says so, naming the
 * restart; with an append-only file fsynced on every write it forgets nothing.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RestartStoreTest {
    private static final NemesisPlan RESTART = new NemesisPlan(List.of(FaultKind.RESTART_STORE), Duration.ofSeconds(1), null);

    /** {@code thinkMs} bounds the pace, so the load is still running at the restart on any machine. */
    private static RunSpec counter(String store, String strategy, int threads, long iterations, long thinkMs) {
        return RunSpec.builder().scenario("counter").store(store).strategy(strategy).instances(1)
                .threads(threads).iterations(iterations).think(Duration.ofMillis(thinkMs))
                .nemesis(RESTART).build();
    }

    private static RunResult run(RunSpec spec, Provisioned server) {
        ServerControl control = StoreRegistry.current().control(spec.store(), server).orElseThrow();
        return new Coordinator(new PrintWriter(new StringWriter())).run(spec, StoreAddresses.of(server.address()), FaultTargets.cellsOnly(control));
    }

    @Test
    void postgresRestartedMidRunKeepsEveryAcknowledgedIncrement() {
        RunResult r = run(counter("postgres", "pessimistic", 2, 1_500, 1), Provisioned.at(TestStores.postgres()));
        assertThat(r.faults()).isNotEmpty().allMatch(f -> f.kind() == FaultKind.RESTART_STORE && f.target().contains("PostgreSQL"));
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
    }

    @Test
    void redisWithoutPersistenceLosesItsDataAndTheRestartIsNamedAsTheCause() {
        try (Provisioned redis = StoreRegistry.current().provision("redis-embedded", persistence("none"))) {
            RunResult r = run(counter("redis-embedded", "optimistic", 4, 2_000, 1), redis);
            assertThat(r.faults()).isNotEmpty();
            assertThat(r.vanishedCells()).as("the counter went with the restart").hasSize(1);
            assertThat(r.lostUpdates()).as("every increment acknowledged before the restart").isEqualTo(r.ok()).isPositive();
            assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
            String sentence = Explainer.sentence(r, Strategies.get("optimistic"), new CounterScenario(), null);
            assertThat(sentence).contains("restarted at").contains("came back without its data").contains("vanished")
                    .contains("The restart lost them, not racelab");
        }
    }

    @Test
    void redisWithAnAppendOnlyFileFsyncedOnEveryWriteLosesNothing() {
        try (Provisioned redis = StoreRegistry.current().provision("redis-embedded", persistence("aof-always"))) {
            RunResult r = run(counter("redis-embedded", "optimistic", 4, 2_000, 1), redis);
            assertThat(r.faults()).isNotEmpty();
            assertThat(r.vanishedCells()).isEmpty();
            assertThat(r.lostUpdates()).isZero();
            assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
        }
    }

    @Test
    void aServerRacelabMayNotTouchIsRefusedBeforeTheRun() {
        assertThatThrownBy(() -> new Coordinator(new PrintWriter(new StringWriter()))
                .run(counter("redis", "atomic", 1, 10, 0), StoreAddresses.of(TestStores.redis()), FaultTargets.NONE))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("acts only on a server racelab started itself")
                .hasMessageContaining("store 'redis' at " + TestStores.redis().url() + " is neither");
        assertThat(StoreRegistry.current().control("redis", Provisioned.at(TestStores.redis()))).isEmpty();
    }

    private static StoreSettings persistence(String mode) {
        return StoreSettings.of(Map.of("redis-persistence", mode), System.getenv());
    }
}

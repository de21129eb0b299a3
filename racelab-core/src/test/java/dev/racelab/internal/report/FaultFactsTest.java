package dev.racelab.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.json.Json;
import dev.racelab.internal.report.RunResult.Fault;
import dev.racelab.internal.scenario.Scenarios;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.internal.vocab.StrategyId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fault's facts are fields: the nemesis records them, the explanation reads them, and an older result's are read from its target once. */
class FaultFactsTest {
    private static final List<Fault> RECORDED = List.of(
            Fault.pausedHolder("worker 1 (pid 123)", "the lease on counter:1 (TTL 2 s)", 1_000, 14_000),
            Fault.pausedHolder("worker 0 (pid 77)", null, 1_000, 14_000),
            Fault.partitionedPrimary("n1", List.of("n1"), List.of("n2", "n3"), 5_000, 18_000),
            Fault.partitionedPrimary("n2", List.of(), List.of("n1", "n3"), 5_000, 18_000),
            Fault.killedPrimary("n1", "postgres", "postgres (pid 123, then 9 of its children still running)", 2_300, 17_300),
            Fault.cutHolder("n1", true, "worker 0 (pid 9)", "the lease on counter:1", List.of("n2", "n3"), 1_200, 9_200),
            Fault.cutHolder("n2", false, "worker 1 (pid 10)", "the lease on counter:1", List.of("n1", "n3"), 1_200, 9_200));

    @Test
    void aPauseOfAWorkerHoldingNoLeaseSaysSoInAFieldNotInProse() {
        Fault none = Fault.pausedHolder("worker 0 (pid 77)", null, 1_000, 14_000);
        assertThat(none.heldALease()).isFalse();
        assertThat(none.holder()).isEqualTo("worker 0 (pid 77)");
        assertThat(none.target()).isEqualTo("worker 0 (pid 77), holding no lease");
        assertThat(Explainer.sentence(passed(List.of(none)), Strategies.get(StrategyId.ATOMIC), Scenarios.create("counter",
                ScenarioOptions.DEFAULT), null)).contains("Worker 0 (pid 77) was paused 13.0 s while holding no lease, and the run went on around it.");
        assertThat(Fault.pausedHolder("worker 1 (pid 123)", "the lease on counter:1 (TTL 2 s)", 0, 1).heldALease()).isTrue();
    }

    /** A result written before the facts were kept has only each fault's target: reading it finds the same facts the nemesis records now. */
    @Test
    void anOlderResultsTargetsGiveTheSameFactsTheNemesisRecords() {
        for (Fault recorded : RECORDED) {
            Fault older = new Fault(recorded.kind(), recorded.target(), recorded.startMs(), recorded.endMs());
            assertThat(older).as(recorded.target()).isEqualTo(recorded);
        }
    }

    @Test
    void aResultWithFaultsSurvivesItsJsonAndAnOlderFileIsReadWithItsFacts() throws Exception {
        RunResult r = passed(RECORDED);
        String json = Json.MAPPER.writeValueAsString(r);
        assertThat(Json.MAPPER.readValue(json, RunResult.class)).isEqualTo(r);
        assertThat(json).contains("\"kind\" : \"partition-primary\"").contains("\"held\" : \"the lease on counter:1 (TTL 2 s)\"");

        String older = json.replaceAll(",\\s*\"(node|server|holder|held)\" : \"[^\"]*\"", "")
                .replaceAll(",\\s*\"(clientHosts|others)\" : \\[[^\\]]*]", "");
        assertThat(older).doesNotContain("\"holder\"").doesNotContain("\"others\"");
        assertThat(Json.MAPPER.readValue(older, RunResult.class).faults()).isEqualTo(RECORDED);
    }

    private static RunResult passed(List<Fault> faults) {
        return RunResult.builder().scenario("counter").store("postgres").strategy(StrategyId.ATOMIC.flagName()).instances(1).threads(8)
                .iterations(2000).planned(16_000).invoked(16_000).ok(16_000).expected(16_000).actual(16_000)
                .verdict(PassFail.PASS).explanation("every acknowledged update is in the store")
                .durationMs(20_000).opsPerSec(800).latencyMs(new RunResult.LatencyMs(1, 2, 3, 4)).peakHeapMb(100).liveHeapMb(50)
                .faults(faults)
                .build();
    }
}

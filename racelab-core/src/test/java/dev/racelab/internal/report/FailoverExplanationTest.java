package dev.racelab.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.scenario.Scenarios;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.internal.vocab.PassFail;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict's sentence names who promoted the new primary, as the failover fault records it, and a kill of the primary. */
class FailoverExplanationTest {
    private static final Scenario DEPOSIT = Scenarios.create("deposit", ScenarioOptions.accounts(1, ScenarioOptions.DEFAULT_BALANCE,
            ScenarioOptions.DEFAULT_AMOUNT));

    @Test
    void aKillOfThePrimaryThatLostCommitsIsNamedWithItsPromotionAndItsReturn() {
        RunResult r = result(1_000, List.of(
                new RunResult.Fault(FaultKind.KILL_PRIMARY, "primary n1: postgres (pid 123, then 9 of its children still running)", 2_300, 17_300),
                RunResult.Fault.failover("n3", "Patroni", 5_200)));
        assertThat(sentence(r)).isEqualTo("atomic: FAIL, the primary n1's postgres was killed (kill -9) at 2.3 s; Patroni promoted n3 at 5.2 s;"
                + " it was back at 17.3 s; 1,000 units of acknowledged deposits are missing: n1 acknowledged them before it died, and they"
                + " never reached n3; n1 dropped them when it rejoined as n3's replica. Replication is asynchronous: an acknowledged commit"
                + " is on one node until a replica copies it.");
    }

    @Test
    void aKillOfThePrimaryThatLostNothingSaysSoAndCountsTheKills() {
        RunResult r = result(0, List.of(
                new RunResult.Fault(FaultKind.KILL_PRIMARY, "primary n1: postgres (pid 123)", 1_200, 14_300),
                RunResult.Fault.failover("n2", "Patroni", 5_200),
                new RunResult.Fault(FaultKind.KILL_PRIMARY, "primary n2: postgres (pid 456)", 19_300, 32_400),
                RunResult.Fault.failover("n3", "Patroni", 22_900)));
        assertThat(sentence(r)).contains("The primary n1's postgres was killed (kill -9) at 1.2 s; Patroni promoted n2 at 5.2 s; it was back"
                + " at 14.3 s (and 1 more kill of the primary), and every acknowledged change survived it.");
    }

    @Test
    void aPartitionNamesTheElectorsItsFailoverRecordsAndAnOlderResultWithoutThemNamesSentinel() {
        RunResult.Fault cut = new RunResult.Fault(FaultKind.PARTITION_PRIMARY, "primary n1 | n2, n3", 5_000, 15_000);
        assertThat(sentence(result(1_000, List.of(cut, RunResult.Fault.failover("n2", "Patroni", 9_000)))))
                .contains("; Patroni promoted n2 at 9.0 s;");
        assertThat(sentence(result(1_000, List.of(cut, new RunResult.Fault(FaultKind.FAILOVER, "n2", 9_000, 9_000)))))
                .contains("; Sentinel promoted n2 at 9.0 s;");
    }

    private static String sentence(RunResult r) {
        return Explainer.sentence(r, Strategies.get("atomic"), DEPOSIT, null);
    }

    private static RunResult result(long lost, List<RunResult.Fault> faults) {
        long ok = 15_992;
        long expected = ScenarioOptions.DEFAULT_BALANCE + ok * ScenarioOptions.DEFAULT_AMOUNT;
        boolean pass = lost == 0;
        return RunResult.builder().scenario("deposit").store("postgres").strategy("atomic").instances(1).threads(8).iterations(2000)
                .planned(16_000).invoked(16_000).ok(ok).unknown(8).errors(8)
                .expected(expected).actual(expected - lost).lostUpdates(lost)
                .verdict(pass ? PassFail.PASS : PassFail.FAIL).explanation(pass ? "every acknowledged update is in the store" : "lost")
                .durationMs(20_000).opsPerSec(800).latencyMs(new RunResult.LatencyMs(1, 2, 3, 4)).peakHeapMb(100).liveHeapMb(50)
                .faults(faults)
                .build();
    }
}

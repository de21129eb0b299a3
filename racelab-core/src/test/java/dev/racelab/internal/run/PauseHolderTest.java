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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A lock holder paused past its lease. The nemesis asks a worker to hold between its read and
 * its write, inside its lease; the worker says "holding" there, and the nemesis stops its JVM
 * for 3 s against a 1 s TTL, so the other worker takes the lease and increments meanwhile. The
 * paused worker then writes what it read before. {@code lock} loses those increments, and the
 * explanation names the pause; {@code lock-fenced} has that write refused by the cell store.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PauseHolderTest {
    private static final Duration TTL = Duration.ofSeconds(1);

    private static RunResult run(String cells, String leases, String strategy, StringWriter progress) {
        NemesisPlan pause = new NemesisPlan(List.of(FaultKind.PAUSE_HOLDER), Duration.ofSeconds(1), Duration.ofSeconds(3));
        // The think time is a floor under each worker's pace: 1,000 operations take the other
        // worker at least 3 s, so it is still running when the stopped holder's 1 s lease runs
        // out (about 2 s in) and takes the lease, however fast the store answers.
        RunSpec spec = RunSpec.builder().scenario("counter").store(cells).strategy(strategy).instances(2).threads(1)
                .iterations(1_000).think(Duration.ofMillis(3)).leaseStore(leases)
                .nemesis(pause).leaseTtl(TTL).build();
        StoreAddresses addresses = new StoreAddresses(TestStores.byName(cells), leases == null ? null : TestStores.byName(leases), null);
        return new Coordinator(new PrintWriter(progress)).run(spec, addresses);
    }

    @ParameterizedTest(name = "lock on {0} cells, {1} leases")
    @CsvSource(value = {"postgres, redis", "postgres, zookeeper", "redis, null"}, nullValues = "null")
    void anUnfencedLockLosesTheIncrementsMadeWhileItsHolderWasPausedAndSaysSo(String cells, String leases) {
        StringWriter progress = new StringWriter();
        RunResult r = run(cells, leases, "lock", progress);
        assertThat(r.faults()).as(progress.toString()).isNotEmpty().allMatch(f -> f.kind() == FaultKind.PAUSE_HOLDER);
        assertThat(r.faults().get(0).endMs() - r.faults().get(0).startMs()).isGreaterThanOrEqualTo(3_000);
        assertThat(r.lostUpdates()).as("increments the paused holder overwrote (%s); the run said:%n%s", r.explanation(), progress).isPositive();
        assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
        assertThat(r.explanation()).contains("acknowledged");
        assertThat(progress.toString()).contains("nemesis: SIGSTOP").contains("holding the lease on").contains("SIGCONT");
        String sentence = dev.racelab.internal.report.Explainer.sentence(r, dev.racelab.internal.strategy.Strategies.get("lock"),
                new dev.racelab.internal.scenario.CounterScenario(), null);
        assertThat(sentence).contains("was paused 3.0 s while holding the lease on").contains("(TTL 1 s)")
                .contains("another holder took the lease").contains("wrote a value it had read before");
    }

    /** Each cell store that checks a fence, and each lease store, once: a run costs tens of seconds here. */
    @ParameterizedTest(name = "lock-fenced on {0} cells, {1} leases")
    @CsvSource(value = {"mysql, redis", "dynamodb, redisson", "postgres, zookeeper", "redis, null"}, nullValues = "null")
    void aFencedLockRefusesThePausedHoldersStaleWriteAndLosesNothing(String cells, String leases) {
        StringWriter progress = new StringWriter();
        RunResult r = run(cells, leases, "lock-fenced", progress);
        assertThat(r.faults()).as(progress.toString()).isNotEmpty();
        assertThat(r.rejected().get("fenced")).as("stale writes refused by the fence").isPositive();
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.actual()).isEqualTo(r.ok());
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
    }
}

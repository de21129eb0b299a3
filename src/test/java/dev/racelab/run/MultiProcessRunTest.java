package dev.racelab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.report.RunResult;
import dev.racelab.store.Stores;
import dev.racelab.strategy.RetryPolicy;
import dev.racelab.strategy.Strategies;
import dev.racelab.strategy.StrategyInfo;
import dev.racelab.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every safe strategy on every store, from three worker processes with two threads each:
 * the counter must hold exactly what was acknowledged.
 */
class MultiProcessRunTest {
    private static final int INSTANCES = 3;
    private static final int THREADS = 2;
    private static final int ITERATIONS = 100;

    static Stream<Arguments> safePairs() {
        return TestStores.names().stream().flatMap(store -> Strategies.all().stream()
                .filter(StrategyInfo::safe)
                .filter(s -> s.missingFrom(Stores.entry(store).capabilities()).isEmpty())
                .map(s -> Arguments.of(store, s.name())));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("safePairs")
    void safeStrategiesKeepEveryAcknowledgedIncrement(String store, String strategy) {
        RunSpec spec = new RunSpec("counter", store, strategy, INSTANCES, THREADS, ITERATIONS, Duration.ZERO, RetryPolicy.DEFAULT);
        StringWriter progress = new StringWriter();
        RunResult r = new Coordinator(new PrintWriter(progress)).run(spec, TestStores.byName(store));

        long planned = (long) INSTANCES * THREADS * ITERATIONS;
        assertThat(r.invoked()).isEqualTo(planned);
        assertThat(r.errors()).as("errors, the first: %s", r.firstError()).isZero();
        assertThat(r.unknown()).isZero();
        assertThat(r.ok() + r.failedTotal()).isEqualTo(planned);
        assertThat(r.actual()).as("what the store holds").isEqualTo(r.ok());
        assertThat(r.expected()).isEqualTo(r.ok());
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).isEqualTo(RunResult.PASS);
        if (!strategy.endsWith("-noretry")) {
            assertThat(r.actual()).as("with retries every increment lands").isEqualTo(planned);
        }
    }
}

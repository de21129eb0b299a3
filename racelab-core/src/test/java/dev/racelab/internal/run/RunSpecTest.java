package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.strategy.StrategyContext;
import dev.racelab.internal.strategy.StrategyOptions;
import dev.racelab.retry.RetryPolicy;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RunSpecTest {
    private static RunSpec.Builder counter() {
        return RunSpec.builder().scenario("counter").store("postgres").strategy("atomic");
    }

    private static String fieldOf(RunSpec.Builder builder) {
        try {
            builder.build();
        } catch (InvalidFieldException e) {
            return e.field();
        }
        throw new AssertionError("built, though a value is wrong");
    }

    @Test
    void unsetValuesTakeTheirDefaults() {
        RunSpec spec = counter().build();
        assertThat(spec.instances()).isEqualTo(1);
        assertThat(spec.threads()).isEqualTo(1);
        assertThat(spec.iterations()).isEqualTo(1);
        assertThat(spec.think()).isEqualTo(Duration.ZERO);
        assertThat(spec.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(spec.options()).isEqualTo(ScenarioOptions.DEFAULT);
        assertThat(spec.warmup()).isEqualTo(Duration.ZERO);
        assertThat(spec.nemesis()).isEqualTo(NemesisPlan.NONE);
        assertThat(spec.leaseTtl()).isEqualTo(StrategyContext.DEFAULT_LEASE_TTL);
        assertThat(spec.logStore()).isNull();
        assertThat(spec.timedLoad()).isFalse();
    }

    @Test
    void aStrategyThatLogsOrdersGetsTheDefaultLogStore() {
        RunSpec spec = RunSpec.builder().scenario("order").store("redis").strategy("reserve-confirm").build();
        assertThat(spec.logStore()).isEqualTo(RunSpec.DEFAULT_LOG_STORE);
    }

    @Test
    void eachBrokenRuleNamesItsField() {
        assertThat(fieldOf(RunSpec.builder().store("postgres").strategy("atomic"))).isEqualTo("scenario");
        assertThat(fieldOf(counter().store(null))).isEqualTo("store");
        assertThat(fieldOf(counter().strategy(null))).isEqualTo("strategy");
        assertThat(fieldOf(counter().scenario("no-such-scenario"))).isEqualTo("scenario");
        assertThat(fieldOf(counter().store("no-such-store"))).isEqualTo("store");
        assertThat(fieldOf(counter().strategy("no-such-strategy"))).isEqualTo("strategy");
        assertThat(fieldOf(counter().instances(0))).isEqualTo("instances");
        assertThat(fieldOf(counter().instances(RunSpec.MAX_INSTANCES + 1))).isEqualTo("instances");
        assertThat(fieldOf(counter().threads(0))).isEqualTo("threads");
        assertThat(fieldOf(counter().iterations(0))).isEqualTo("iterations");
        assertThat(fieldOf(counter().think(Duration.ofMillis(-1)))).isEqualTo("think");
        assertThat(fieldOf(counter().think(null))).isEqualTo("think");
        assertThat(fieldOf(counter().retry(null))).isEqualTo("retry");
        assertThat(fieldOf(counter().crashes(-1))).isEqualTo("crashes");
        assertThat(fieldOf(counter().crashes(1))).isEqualTo("crashes");
        assertThat(fieldOf(counter().warmup(RunSpec.MAX_WARMUP.plusSeconds(1)))).isEqualTo("warmup");
        assertThat(fieldOf(counter().leaseTtl(Duration.ofMillis(99)))).isEqualTo("leaseTtl");
        assertThat(fieldOf(counter().strategyOptions(new StrategyOptions(4)))).isEqualTo("slots");
        assertThat(fieldOf(counter().duration(Duration.ofMillis(500)))).isEqualTo("seconds");
        assertThat(fieldOf(counter().readBarrier(1))).isEqualTo("readBarrier");
        assertThat(fieldOf(counter().scenario("deposit").options(ScenarioOptions.DEFAULT.withRows(2)))).isEqualTo("rows");
        assertThat(fieldOf(counter().leaseStore("redis"))).isEqualTo("leaseStore");
    }

    @Test
    void theMessageSaysWhatIsWrongWithTheValue() {
        assertThatThrownBy(() -> counter().threads(0).build())
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.render(UnaryOperator.identity())).isEqualTo("threads must be at least 1, was 0"));
    }

    @Test
    void aVariationKeepsEveryOtherValue() {
        RunSpec spec = counter().threads(4).iterations(10).think(Duration.ofMillis(2)).warmup(Duration.ofSeconds(1)).build();
        RunSpec timed = spec.timed(Duration.ofSeconds(3));
        assertThat(timed.timedLoad()).isTrue();
        assertThat(timed.iterations()).isEqualTo(RunSpec.timedCeiling(4));
        assertThat(timed.toBuilder().iterations(10).duration(null).build()).isEqualTo(spec);
        assertThat(spec.withReadBarrier(4).readBarrier()).isEqualTo(4);
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void aWorkerReadsTheSpecItsCoordinatorWrote() throws Exception {
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(9).baseDelay(Duration.ofMillis(3)).build();
        RunSpec spec = counter().instances(2).threads(3).iterations(7).leaseTtl(Duration.ofSeconds(2)).retry(retry).build();
        String json = Json.MAPPER.writeValueAsString(spec);
        assertThat(Json.MAPPER.readTree(json).get("retry").toString())
                .isEqualTo("{\"maxAttempts\":9,\"baseDelay\":\"PT0.003S\",\"maxDelay\":\"PT0.05S\",\"deadline\":\"PT1M\"}");
        assertThat(Json.MAPPER.readValue(json, RunSpec.class)).isEqualTo(spec);
    }
}

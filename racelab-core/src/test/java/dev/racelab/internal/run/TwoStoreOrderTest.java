package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's design: Redis takes the stock, PostgreSQL logs the order. Each of the 2 worker
 * processes has its first 3 granted orders die between the two writes, as a crashed client
 * would. Stock 30, 2 x 4 threads x 5 orders = 40 buyers: the units always sell out, and each
 * process gets at least 10 of them (the other can take at most 20), so every crash happens.
 */
class TwoStoreOrderTest {
    private static final int CRASHES_PER_INSTANCE = 3;

    private static RunResult run(String strategy) {
        RunSpec spec = RunSpec.builder().scenario("order").store("redis").strategy(strategy).instances(2).threads(4)
                .iterations(5).options(new ScenarioOptions("p3", 30L, 1)).logStore("postgres")
                .crashes(CRASHES_PER_INSTANCE).build();
        return new Coordinator(new PrintWriter(new StringWriter()))
                .run(spec, new StoreAddresses(TestStores.redis(), null, TestStores.postgres()));
    }

    @Test
    void aCrashBetweenRedisAndSqlLeavesStockTakenWithNoOrderAndTheCheckerSaysSo() {
        RunResult r = run("decide-then-log");
        assertThat(r.unknown()).as("the crashed clients never heard back").isEqualTo(2 * CRASHES_PER_INSTANCE);
        assertThat(r.actual()).as("Redis sold out").isZero();
        assertThat(r.orders()).as("orders logged in SQL").isEqualTo(30 - 2 * CRASHES_PER_INSTANCE);
        assertThat(r.oversold()).isZero();
        assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
        assertThat(r.explanation()).contains(2 * CRASHES_PER_INSTANCE + " units of stock taken with no order row");
    }

    @Test
    void reserveConfirmRecoversEveryCrashedOrderSoOrdersEqualStockTaken() {
        RunResult r = run("reserve-confirm");
        assertThat(r.unknown()).isEqualTo(2 * CRASHES_PER_INSTANCE);
        assertThat(r.recovered()).as("reservations the sweep turned into orders").isEqualTo(2 * CRASHES_PER_INSTANCE);
        assertThat(r.actual()).isZero();
        assertThat(r.orders()).as("orders in SQL == stock taken in Redis").isEqualTo(30);
        assertThat(r.ok()).isEqualTo(30 - 2 * CRASHES_PER_INSTANCE);
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
    }
}

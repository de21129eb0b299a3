package dev.racelab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.junit.internal.RaceImpl;
import dev.racelab.junit.internal.RaceSettings;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shortest failing schedule: schedules run fewest context switches first; a bounded run's pick is
 * repeated by its sample seed; the first failing schedule shows each statement with its bound values
 * and replays by its seed, identically, in a JVM of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShortestScheduleTest {
    HikariDataSource ds;
    Accounts accounts;

    @BeforeAll
    void open() throws Exception {
        ds = RaceContract.pool(RacePostgresTest.URL, 4);
        accounts = new Accounts(ds, "rl_junit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        accounts.create();
    }

    @AfterAll
    void close() throws Exception {
        if (accounts != null) accounts.drop();
        if (ds != null) ds.close();
    }

    private RaceImpl race(int schedules, long seed, long sampleSeed) {
        return new RaceImpl(new RaceSettings(1, 1, 2, schedules, seed, sampleSeed, Duration.ofSeconds(10)));
    }

    /** Each schedule's order of steps by invocation (0 or 1), recorded as they reach the database: 4 and 3 steps. */
    private List<List<Integer>> orders(int schedules, long sampleSeed) {
        RaceImpl race = race(schedules, RaceTest.NONE, sampleSeed);
        Accounts through = accounts.on(race.interleave(ds));
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<List<Integer>> orders = new ArrayList<>();
        race.setup(() -> {
            if (!order.isEmpty()) orders.add(List.copyOf(order));
            order.clear();
        });
        race.op(inv -> through.statements(inv.index() == 0 ? 3 : 2, () -> order.add(inv.index())));
        race.expect(Invariant.that("each statement ran", o -> o.acknowledged() == 2));
        RaceResult result = race.run();
        orders.add(List.copyOf(order));
        assertThat(result.passed()).as(result.message()).isTrue();
        return orders;
    }

    /** Switches where the invocation that took the last step still had steps left. */
    private static int switches(List<Integer> order) {
        int[] left = {4, 3};
        int n = 0;
        for (int i = 0; i < order.size(); i++) {
            if (i > 0 && !order.get(i).equals(order.get(i - 1)) && left[order.get(i - 1)] > 0) n++;
            left[order.get(i)]--;
        }
        return n;
    }

    @Test
    void schedulesRunFewestContextSwitchesFirst() {
        List<List<Integer>> orders = orders(200, RaceTest.NONE);
        assertThat(orders).hasSize(35).doesNotHaveDuplicates();
        List<Integer> switches = orders.stream().map(ShortestScheduleTest::switches).toList();
        assertThat(switches.subList(0, 2)).containsOnly(0);
        assertThat(switches).isSorted();
    }

    @Test
    void aBoundedRunPicksTheSameSchedulesBySampleSeed() {
        List<List<Integer>> first = orders(6, 7);
        List<List<Integer>> again = orders(6, 7);
        assertThat(first).hasSize(6).isEqualTo(again);
        assertThat(first.stream().map(ShortestScheduleTest::switches).toList()).isSorted();
    }

    @Test
    void theBoundedRunSaysWhatItRanAndItsSampleSeed() {
        RaceImpl race = race(6, RaceTest.NONE, 7);
        Accounts through = accounts.on(race.interleave(ds));
        race.op(inv -> through.statements(inv.index() == 0 ? 3 : 2, () -> { }));
        race.expect(Invariant.that("each statement ran", o -> o.acknowledged() == 2));
        RaceResult result = race.run();
        assertThat(result.message()).contains("Ran the first 6 of the 35 schedules by fewest context switches: all with none, then 4 of those with 1,"
                + " picked by sample seed 7 (@RaceTest(sampleSeed = 7) picks the same ones");
        assertThat(result.distinctSchedules()).isEqualTo(6);
    }

    private RaceResult broken(long seed) {
        RaceImpl race = race(200, seed, RaceTest.NONE);
        Accounts through = accounts.on(race.interleave(ds));
        race.setup(() -> accounts.reset(1, 0));
        race.op(() -> through.depositReadThenWrite(1, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));
        return race.run();
    }

    @Test
    void theFirstFailingScheduleHasOneContextSwitchAndReplaysIdenticallyInANewJvm() throws Exception {
        RaceResult found = broken(RaceTest.NONE);
        assertThat(found.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(found.message()).contains("The first failing schedule (1 context switch), seed ");
        assertThat(String.join("\n", found.schedule())).contains(", autocommit: UPDATE " + accounts.table() + " SET balance = ? WHERE id = ? [10, 1]");
        long seed = found.seed().orElseThrow();

        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ReplayMain.class.getName(), RacePostgresTest.URL,
                accounts.table(), String.valueOf(seed)).redirectErrorStream(false).start();
        p.getErrorStream().transferTo(OutputStream.nullOutputStream());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines.getFirst()).isEqualTo("verdict FAIL lost " + found.lost());
        assertThat(lines.subList(1, lines.size())).as("the same statements, values and transactions in the same order")
                .isEqualTo(found.schedule());
    }
}

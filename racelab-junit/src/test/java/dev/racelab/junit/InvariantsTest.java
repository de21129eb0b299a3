package dev.racelab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each invariant's judgment of a final state against how the invocations ended, UNKNOWN bounds included. */
class InvariantsTest {
    private final AtomicLong value = new AtomicLong();

    private static Outcomes outcomes(int ok, int failed, int unknown) {
        List<Status> s = new ArrayList<>();
        for (int i = 0; i < ok; i++) s.add(Status.OK);
        for (int i = 0; i < failed; i++) s.add(Status.FAIL);
        for (int i = 0; i < unknown; i++) s.add(Status.UNKNOWN);
        return new Outcomes(s);
    }

    private Finding judge(Invariant invariant, long before, long after, Outcomes o) throws Exception {
        value.set(before);
        Invariant.Check check = invariant.start();
        value.set(after);
        return check.finish(o);
    }

    @Test
    void sumCountsUnknownInvocationsEitherWay() throws Exception {
        Invariant sum = Invariant.sum("balance", value::get, 10);
        assertThat(judge(sum, 100, 130, outcomes(2, 0, 1)).holds()).isTrue();
        assertThat(judge(sum, 100, 120, outcomes(2, 0, 1)).holds()).isTrue();
        Finding lost = judge(sum, 100, 110, outcomes(2, 0, 1));
        assertThat(lost.holds()).isFalse();
        assertThat(lost.lost()).isEqualTo(10);
        assertThat(lost.sentence()).isEqualTo("sum of balance (expected 120 (120 to 130 with the unknown), actual 110, lost 10):"
                + " 10 of the 20 that 2 acknowledged operations added to balance is missing: lost updates");
        Finding phantom = judge(sum, 100, 140, outcomes(2, 1, 0));
        assertThat(phantom.holds()).isFalse();
        assertThat(phantom.lost()).isZero();
        assertThat(phantom.sentence()).endsWith("balance grew by 40, 20 more than 2 acknowledged operations could add: a change that"
                + " no operation explains. Did a failed operation land anyway?");
    }

    @Test
    void floorFindsOversoldStockAndAMissingTake() throws Exception {
        Invariant floor = Invariant.floor("stock", value::get, 1);
        assertThat(judge(floor, 3, 0, outcomes(3, 5, 0)).holds()).isTrue();
        Finding oversold = judge(floor, 3, -2, outcomes(5, 0, 0));
        assertThat(oversold.holds()).isFalse();
        assertThat(oversold.sentence()).contains("oversold by 2: 5 acknowledged operations took 5, but stock had 3 above the floor of 0;"
                + " it ended at -2, below the floor");
        Finding lost = judge(floor, 3, 2, outcomes(2, 0, 0));
        assertThat(lost.lost()).isEqualTo(1);
        assertThat(lost.sentence()).endsWith("1 of the 2 that 2 acknowledged operations took from stock was never taken: lost updates");
    }

    @Test
    void onceAllowsOneSuccessPerKey() throws Exception {
        Invariant once = Invariant.once("coupon", i -> "code-" + (i % 2));
        assertThat(judge(once, 0, 0, new Outcomes(List.of(Status.OK, Status.OK, Status.FAIL, Status.FAIL))).holds()).isTrue();
        Finding twice = judge(once, 0, 0, new Outcomes(List.of(Status.OK, Status.OK, Status.OK, Status.FAIL)));
        assertThat(twice.holds()).isFalse();
        assertThat(twice.sentence()).contains("1 success beyond the first for one coupon: code-0 (2 times)");
    }

    @Test
    void conservedNeedsTheTotalItBeganWith() throws Exception {
        Invariant conserved = Invariant.conserved("total", value::get);
        assertThat(judge(conserved, 200, 200, outcomes(4, 0, 1)).holds()).isTrue();
        Finding moved = judge(conserved, 200, 190, outcomes(4, 0, 0));
        assertThat(moved.holds()).isFalse();
        assertThat(moved.lost()).isEqualTo(10);
        assertThat(moved.sentence()).contains("total holds 190 in total, but the operations only move it: it should hold 200");
    }

    @Test
    void aCustomConditionIsNamedWhenItFails() throws Exception {
        Finding f = judge(Invariant.that("no unknown outcome", o -> o.unknown() == 0), 0, 0, outcomes(1, 0, 1));
        assertThat(f.holds()).isFalse();
        assertThat(f.sentence()).isEqualTo("no unknown outcome (expected true, actual false) does not hold after 1 acknowledged operation, 0 failed and 1 unknown");
    }

    @Test
    void onceOverEffectsCountsWhatLandedNotWhatWasAnswered() throws Exception {
        java.util.Map<String, Long> rows = new java.util.HashMap<>(java.util.Map.of("a", 1L));
        Invariant perKey = Invariant.once("key", () -> rows);
        Invariant.Check check = perKey.start();
        rows.put("a", 2L);  // one more row for a key that had one: its effect once, during the race
        rows.put("b", 2L);  // two rows for a new key: once too many
        Finding f = check.finish(outcomes(1, 1, 0));
        assertThat(f.holds()).isFalse();
        assertThat(f.actual()).isEqualTo("1 extra");
        assertThat(f.sentence()).contains("b (2 times)").doesNotContain("a (");

        Invariant acknowledgedKeys = Invariant.once("order", inv -> "order-" + inv, java.util.HashMap::new);
        Finding missing = acknowledgedKeys.start().finish(outcomes(2, 0, 0));
        assertThat(missing.holds()).isFalse();
        assertThat(missing.sentence()).endsWith("2 acknowledged orders have no effect: order-0, order-1");
    }

    @Test
    void thatShowsItsNumbers() throws Exception {
        Invariant charges = Invariant.that("one charge per order", o -> false, Invariant.show("charges", () -> 3), Invariant.show("orders", () -> 2));
        assertThat(charges.start().finish(outcomes(2, 0, 0)).sentence()).isEqualTo("one charge per order (expected true, actual false) does"
                + " not hold after 2 acknowledged operations, 0 failed and 0 unknown: charges = 3, orders = 2");
    }
}

package dev.racelab.internal.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Status;
import dev.racelab.internal.history.OpRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {
    private static final Cell COUNTER = new Cell("c", 100, 0);
    private long nextId;

    private OpRecord op(Status status, long delta) {
        return new OpRecord(nextId++, List.of(new Change("c", delta)), 0, 1, status,
                status == Status.FAIL ? FailReason.CONFLICT : null, 0);
    }

    private List<OpRecord> history(int ok, int failed, int unknown, long delta) {
        List<OpRecord> h = new ArrayList<>();
        for (int i = 0; i < ok; i++) h.add(op(Status.OK, delta));
        for (int i = 0; i < failed; i++) h.add(op(Status.FAIL, delta));
        for (int i = 0; i < unknown; i++) h.add(op(Status.UNKNOWN, delta));
        return h;
    }

    private static Verdict check(long finalValue, List<OpRecord> history) {
        return HistoryChecker.check(List.of(COUNTER), Map.of("c", new Cell("c", finalValue, 9)), Map.of(), history);
    }

    @Test
    void everyAcknowledgedIncrementPresentPasses() {
        Verdict v = check(110, history(10, 5, 0, 1));
        assertThat(v.pass()).isTrue();
        assertThat(v.expected()).isEqualTo(110);
        assertThat(v.lost()).isZero();
    }

    @Test
    void missingIncrementsAreCountedAsLost() {
        Verdict v = check(103, history(10, 0, 0, 1));
        assertThat(v.pass()).isFalse();
        assertThat(v.lost()).isEqualTo(7);
        assertThat(v.explain()).contains("7 units of acknowledged change missing (lost updates)");
    }

    @Test
    void unknownOperationsWidenTheBoundsButNoFurther() {
        List<OpRecord> h = history(10, 0, 3, 1);
        assertThat(check(110, h).pass()).isTrue();
        assertThat(check(113, h).pass()).isTrue();
        assertThat(check(109, h).lost()).isEqualTo(1);
        assertThat(check(114, h).phantom()).isEqualTo(1);
    }

    @Test
    void unknownDecrementsWidenTheLowerBound() {
        List<OpRecord> h = history(0, 0, 2, -5);
        assertThat(check(90, h).pass()).isTrue();
        assertThat(check(89, h).lost()).isEqualTo(1);
    }

    @Test
    void aFailedUpdateThatLandedAnywayIsCaught() {
        Verdict v = check(111, history(10, 1, 0, 1));
        assertThat(v.pass()).isFalse();
        assertThat(v.phantom()).isEqualTo(1);
        assertThat(v.explain()).contains("1 units of change no acknowledged operation explains");
    }

    @Test
    void aCellBelowItsFloorFails() {
        Verdict v = HistoryChecker.check(List.of(new Cell("s", 1, 0)), Map.of("s", new Cell("s", -1, 2)),
                Map.of("s", 0L), List.of(
                        new OpRecord(1, List.of(new Change("s", -1)), 0, 1, Status.OK, null, 0),
                        new OpRecord(2, List.of(new Change("s", -1)), 0, 1, Status.OK, null, 0)));
        assertThat(v.lost()).isZero();
        assertThat(v.pass()).isFalse();
        assertThat(v.explain()).contains("below its floor 0");
    }

    @Test
    void aHistoryTouchingAnUnknownCellIsRejected() {
        OpRecord stray = new OpRecord(1, List.of(new Change("other", 1)), 0, 1, Status.OK, null, 0);
        assertThatThrownBy(() -> check(100, List.of(stray))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other");
    }

    // --- stock with a floor and order rows (seeds 001, 002) ---

    private static final Cell STOCK = new Cell("stock", 1, 0);

    private static OpRecord order(long id, Status status) {
        return new OpRecord(id, List.of(new Change("stock", -1)), "order:" + id, false, 0, 1, status,
                status == Status.FAIL ? FailReason.FLOOR : null, 0);
    }

    private static Verdict checkOrders(long finalStock, Set<String> rows, long recovered, OpRecord... history) {
        return HistoryChecker.check(List.of(STOCK), Map.of("stock", new Cell("stock", finalStock, 1)), Map.of("stock", 0L),
                List.of(history), rows, recovered);
    }

    @Test
    void oneWinnerAndRefusedBuyersPass() {
        Verdict v = checkOrders(0, Set.of("order:1"), 0, order(1, Status.OK), order(2, Status.FAIL), order(3, Status.FAIL));
        assertThat(v.pass()).isTrue();
        assertThat(v.oversold()).isZero();
        assertThat(v.guards().rows()).isEqualTo(1);
        assertThat(v.explain()).contains("the 1 order rows match the stock taken");
    }

    @Test
    void twoBuyersAcknowledgedForOneUnitIsOversoldAndALostDecrement() {
        // naive: both read 1, both write 0, both get an order row
        Verdict v = checkOrders(0, Set.of("order:1", "order:2"), 0, order(1, Status.OK), order(2, Status.OK));
        assertThat(v.pass()).isFalse();
        assertThat(v.oversold()).isEqualTo(1);
        assertThat(v.lost()).as("the second decrement is not in the stock").isEqualTo(1);
        assertThat(v.guards().rowsWithoutChange()).isEqualTo(1);
        assertThat(v.explain()).contains("1 units acknowledged beyond what it had (oversold)");
    }

    @Test
    void stockTakenWithNoOrderRowIsReportedAsACrashBetweenTheWrites() {
        Verdict v = checkOrders(0, Set.of(), 0, order(1, Status.UNKNOWN), order(2, Status.FAIL));
        assertThat(v.pass()).isFalse();
        assertThat(v.lost()).isZero();
        assertThat(v.guards().changeWithoutRow()).isEqualTo(1);
        assertThat(v.explain()).contains("1 units of stock taken with no order row (a client died between its two writes)");
    }

    @Test
    void anOrderRowWrittenByTheRecoverySweepCountsAndIsReported() {
        Verdict v = checkOrders(0, Set.of("order:1"), 1, order(1, Status.UNKNOWN), order(2, Status.FAIL));
        assertThat(v.pass()).isTrue();
        assertThat(v.guards().recovered()).isEqualTo(1);
        assertThat(v.explain()).contains("1 written by the recovery sweep");
    }

    @Test
    void anAcknowledgedOrderWithoutItsRowFails() {
        Verdict v = checkOrders(0, Set.of(), 0, order(1, Status.OK));
        assertThat(v.pass()).isFalse();
        assertThat(v.guards().missing()).isEqualTo(1);
    }

    @Test
    void aRowForARefusedOrderOrForNoOrderIsAnOrphan() {
        Verdict v = checkOrders(1, Set.of("order:2", "order:99"), 0, order(2, Status.FAIL));
        assertThat(v.pass()).isFalse();
        assertThat(v.guards().orphans()).isEqualTo(2);
        assertThat(v.guards().rowsWithoutChange()).as("an orphan row stands for no operation's change").isZero();
    }

    // --- likes: guard rows written and released by several operations on one key ---

    private static final Cell LIKES = new Cell("likes", 0, 0);

    private static OpRecord like(long id, String user, boolean unlike, Status status) {
        return new OpRecord(id, List.of(new Change("likes", unlike ? -1 : 1)), "like:" + user, unlike, 0, 1, status,
                status == Status.FAIL ? (unlike ? FailReason.ABSENT : FailReason.DUPLICATE) : null, 0);
    }

    @Test
    void likeUnlikeAndLikeAgainLeaveOneRowAndACountOfOne() {
        Verdict v = HistoryChecker.check(List.of(LIKES), Map.of("likes", new Cell("likes", 1, 3)), Map.of(), List.of(
                like(1, "ann", false, Status.OK), like(2, "ann", false, Status.FAIL), like(3, "ann", true, Status.OK),
                like(4, "ann", false, Status.OK), like(5, "bob", true, Status.FAIL)), Set.of("like:ann"), 0);
        assertThat(v.pass()).as(v.explain()).isTrue();
    }

    @Test
    void aCountThatDisagreesWithTheRowsFails() {
        // two likes acknowledged, two rows, but the count lost one increment
        Verdict v = HistoryChecker.check(List.of(LIKES), Map.of("likes", new Cell("likes", 1, 1)), Map.of(), List.of(
                like(1, "ann", false, Status.OK), like(2, "bob", false, Status.OK)), Set.of("like:ann", "like:bob"), 0);
        assertThat(v.pass()).isFalse();
        assertThat(v.lost()).isEqualTo(1);
        assertThat(v.guards().rowsWithoutChange()).isEqualTo(1);
    }
}

package dev.racelab.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Status;
import dev.racelab.run.OpRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        assertThat(v.explain()).contains("7 below what was acknowledged");
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
        assertThat(v.explain()).contains("a failed update landed");
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
}

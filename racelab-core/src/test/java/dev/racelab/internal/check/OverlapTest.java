package dev.racelab.internal.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OverlapTest {
    @Test
    void countsTheIntervalsThatShareTimeWithAnother() {
        // [0,10] holds [1,5] and [2,3]; [20,30] touches [10,20]'s end only; [40,41] is alone.
        assertThat(Overlap.overlapped(new long[]{0, 1, 2, 20, 40}, new long[]{10, 5, 3, 30, 41})).isEqualTo(3);
        assertThat(Overlap.overlapped(new long[]{0, 10, 20}, new long[]{10, 20, 30})).as("back to back").isZero();
        assertThat(Overlap.overlapped(new long[]{5, 0}, new long[]{6, 100})).as("in any order").isEqualTo(2);
        assertThat(Overlap.overlapped(new long[]{}, new long[]{})).isZero();
    }

    @Test
    void anEarlierIntervalThatIsNotTheLongestStillCounts() {
        // [0,100] is the longest; [1,3] overlaps [2,4] as well as it.
        assertThat(Overlap.overlapped(new long[]{0, 1, 2, 200}, new long[]{100, 3, 4, 201})).isEqualTo(3);
    }

    @Test
    void refusesAnEndBeforeItsStart() {
        assertThatThrownBy(() -> Overlap.overlapped(new long[]{5}, new long[]{4})).isInstanceOf(IllegalArgumentException.class);
    }
}

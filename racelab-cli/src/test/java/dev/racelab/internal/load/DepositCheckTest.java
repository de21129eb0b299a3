package dev.racelab.internal.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bounds, in cents: start 1000.00, deposits of 10.00. */
class DepositCheckTest {
    @Test
    void everyAcknowledgedDepositInTheBalancePasses() {
        DepositCheck c = new DepositCheck(100_000, 200_000, 1_000, 100, 0);
        assertThat(c.lost()).isZero();
        assertThat(c.phantom()).isZero();
        assertThat(c.pass()).isTrue();
    }

    @Test
    void aShortfallIsLost() {
        DepositCheck c = new DepositCheck(100_000, 135_000, 1_000, 100, 0);
        assertThat(c.lost()).isEqualTo(65_000);
        assertThat(c.expected()).isEqualTo(200_000);
        assertThat(c.pass()).isFalse();
    }

    @Test
    void uncertainDepositsWidenOnlyTheUpperBound() {
        DepositCheck within = new DepositCheck(100_000, 103_000, 1_000, 2, 3);
        assertThat(within.lost()).isZero();
        assertThat(within.phantom()).isZero();
        assertThat(within.expectedMax()).isEqualTo(105_000);
        assertThat(new DepositCheck(100_000, 101_000, 1_000, 2, 3).lost()).as("an unanswered request cannot take money away")
                .isEqualTo(1_000);
        assertThat(new DepositCheck(100_000, 106_000, 1_000, 2, 3).phantom()).isEqualTo(1_000);
    }
}

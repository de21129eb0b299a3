package dev.racelab.internal.probe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SQL probe's check: exact decimals, and no arithmetic on a number from outside that does not fit. */
class CheckExpressionTest {
    @Test
    void numbersCompareAsDecimals() {
        CheckExpression e = CheckExpression.parse("balance = 1000 + 10 * committed");
        assertThat(e.evaluate(Map.of("balance", new BigDecimal("1020.00"), "committed", 2L))).isEqualTo(true);
        assertThat(e.evaluate(Map.of("balance", "1030", "committed", 2L))).isEqualTo(false);
    }

    /**
     * A value the database answers (a text column, a numeric) with a huge exponent is refused
     * within a second, quoted short: 1e300000000 + 1 would need 300 million digits.
     */
    @Test
    void aHugeValueFromTheDatabaseIsRefusedWithinASecond() {
        CheckExpression e = CheckExpression.parse("balance + 1 = 2 and abs(-balance) > 0");
        for (Object v : List.of("1e300000000", "-1e300000000", "1e-3000000", new BigDecimal("1E+2147483647"), "9".repeat(5_000))) {
            Throwable refused = assertTimeoutPreemptively(Duration.ofSeconds(1),
                    () -> assertThrows(RuntimeException.class, () -> e.evaluate(Map.of("balance", v))));
            assertThat(refused.getMessage()).contains("balance").hasSizeLessThan(300);
        }
    }

    @Test
    void aLiteralWithMoreDigitsThanAnyValueIsASyntaxError() {
        assertThatThrownBy(() -> CheckExpression.parse("balance = " + "9".repeat(5_000)))
                .isInstanceOf(CheckExpression.SyntaxError.class).hasMessageContaining("digits");
    }
}

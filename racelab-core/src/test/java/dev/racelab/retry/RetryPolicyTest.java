package dev.racelab.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.InvalidFieldException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void aBuilderStartsFromTheDefaultAndChangesOnlyWhatItIsGiven() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).build();
        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.baseDelay()).isEqualTo(RetryPolicy.DEFAULT.baseDelay());
        assertThat(policy.maxDelay()).isEqualTo(RetryPolicy.DEFAULT.maxDelay());
        assertThat(policy.deadline()).isEqualTo(RetryPolicy.DEFAULT.deadline());
        assertThat(RetryPolicy.builder().build()).isEqualTo(RetryPolicy.DEFAULT);
    }

    @Test
    void theFactoriesBuildWhatTheySay() {
        RetryPolicy jitter = RetryPolicy.exponentialJitter(Duration.ofMillis(2), Duration.ofMillis(20), 7);
        assertThat(jitter).isEqualTo(RetryPolicy.builder().maxAttempts(7).baseDelay(Duration.ofMillis(2))
                .maxDelay(Duration.ofMillis(20)).deadline(Duration.ofSeconds(60)).build());
        assertThat(RetryPolicy.attempts(3)).isEqualTo(RetryPolicy.NONE.toBuilder().maxAttempts(3).build());
        assertThat(RetryPolicy.attempts(3).baseDelay()).isZero();
    }

    @Test
    void equalValuesMakeEqualPoliciesShownAsARecordWould() {
        RetryPolicy a = RetryPolicy.builder().maxAttempts(3).deadline(Duration.ofSeconds(5)).build();
        RetryPolicy b = RetryPolicy.DEFAULT.toBuilder().deadline(Duration.ofSeconds(5)).maxAttempts(3).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(RetryPolicy.DEFAULT);
        assertThat(RetryPolicy.DEFAULT).hasToString("RetryPolicy[maxAttempts=1000, baseDelay=PT0.001S, maxDelay=PT0.05S, deadline=PT1M]");
    }

    @Test
    void aMissingValueNamesItsField() {
        assertThatThrownBy(() -> RetryPolicy.builder().deadline(null).build())
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("retry.deadline"))
                .hasMessage("retry.deadline is required");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(null).build())
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("retry.baseDelay"));
    }
}

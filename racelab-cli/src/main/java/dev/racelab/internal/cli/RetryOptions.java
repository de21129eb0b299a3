package dev.racelab.internal.cli;

import dev.racelab.retry.RetryPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The retry policy of the strategies that retry (optimistic, serializable, and lock timeouts). */
public final class RetryOptions {
    @Option(names = "--retry-max-attempts", paramLabel = "N", description = "attempts per operation, the first included (default: ${DEFAULT-VALUE})")
    int maxAttempts = RetryPolicy.DEFAULT.maxAttempts();

    @Option(names = "--retry-base-ms", paramLabel = "MS", description = "first backoff ceiling; doubles per retry, full jitter (default: ${DEFAULT-VALUE})")
    long baseMs = RetryPolicy.DEFAULT.baseDelay().toMillis();

    @Option(names = "--retry-max-delay-ms", paramLabel = "MS", description = "largest backoff ceiling (default: ${DEFAULT-VALUE})")
    long maxDelayMs = RetryPolicy.DEFAULT.maxDelay().toMillis();

    @Option(names = "--retry-deadline-ms", paramLabel = "MS", description = "time an operation may spend retrying (default: ${DEFAULT-VALUE})")
    long deadlineMs = RetryPolicy.DEFAULT.deadline().toMillis();

    RetryPolicy policy() {
        return RetryPolicy.builder().maxAttempts(maxAttempts).baseDelay(Duration.ofMillis(baseMs))
                .maxDelay(Duration.ofMillis(maxDelayMs)).deadline(Duration.ofMillis(deadlineMs)).build();
    }
}

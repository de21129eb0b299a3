package dev.racelab.examples.shop;

import org.springframework.test.context.ActiveProfiles;

/**
 * {@link OnCallRaceTest} on MariaDB 10.11: REPEATABLE READ allows the write skew there too (its plain reads are a
 * snapshot and take no locks); SERIALIZABLE turns the reads into shared locks, so one doctor's update deadlocks
 * with the other's instead of failing serialization, and the same {@code @Retryable} runs it again.
 */
@ActiveProfiles("mariadb")
class MariaDbOnCallRaceTest extends OnCallRaceTest {
}

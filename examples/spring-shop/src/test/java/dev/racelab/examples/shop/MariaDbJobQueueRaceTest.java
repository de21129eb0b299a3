package dev.racelab.examples.shop;

import org.springframework.test.context.ActiveProfiles;

/** {@link JobQueueRaceTest} on MariaDB 10.11, which has {@code for update skip locked} since 10.6. */
@ActiveProfiles("mariadb")
class MariaDbJobQueueRaceTest extends JobQueueRaceTest {
}

package dev.racelab.examples.shop;

import org.springframework.test.context.ActiveProfiles;

/**
 * {@link FailFastLockRaceTest} on MariaDB 10.11: NOWAIT fails there too, as a lock wait timeout (error 1205) at
 * once, which Spring turns into the same CannotAcquireLockException.
 */
@ActiveProfiles("mariadb")
class MariaDbFailFastLockRaceTest extends FailFastLockRaceTest {
    @Override
    String lockRefusal() {
        return "Lock wait timeout exceeded; try restarting transaction";
    }
}

package dev.racelab.junit;

/** Failure kinds from MariaDB: a deadlock shares SQLSTATE 40001 with serialization failures and is told by error 1213. */
class FailureKindsMariaDbTest extends FailureKindsContract {
    @Override
    String url() {
        return RaceMariaDbTest.URL;
    }

    @Override
    boolean postgres() {
        return false;
    }
}

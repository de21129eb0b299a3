package dev.racelab.junit;

/** Failure kinds from PostgreSQL's SQLSTATEs. */
class FailureKindsPostgresTest extends FailureKindsContract {
    @Override
    String url() {
        return RacePostgresTest.URL;
    }

    @Override
    boolean postgres() {
        return true;
    }
}

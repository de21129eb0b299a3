package dev.racelab.junit;

/** The extension's contract on PostgreSQL (pg_blocking_pids for lock waits). */
class RacePostgresTest extends RaceContract {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Override
    String url() {
        return URL;
    }
}

package dev.racelab.junit;

/** The extension's contract on MariaDB (InnoDB's LOCK WAIT for lock waits). */
class RaceMariaDbTest extends RaceContract {
    static final String URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

    @Override
    String url() {
        return URL;
    }
}

package dev.racelab.junit;

import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.junit.internal.RaceImpl;
import dev.racelab.junit.internal.RaceSettings;
import java.time.Duration;

/**
 * Replays one schedule of the broken deposit by its seed, in a JVM of its own, and prints the schedule:
 * {@code ReplayMain <jdbc url> <table> <seed>}. ShortestScheduleTest compares its output with the
 * schedule the test's own JVM printed.
 */
public final class ReplayMain {
    private ReplayMain() {
    }

    public static void main(String[] args) throws Exception {
        try (HikariDataSource ds = RaceContract.pool(args[0], 4)) {
            Accounts accounts = new Accounts(ds, args[1]);
            RaceImpl race = new RaceImpl(new RaceSettings(1, 1, 2, 200, Long.parseLong(args[2]), RaceTest.NONE, Duration.ofSeconds(10)));
            Accounts through = accounts.on(race.interleave(ds));
            race.setup(() -> accounts.reset(1, 0));
            race.op(() -> through.depositReadThenWrite(1, 10));
            race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));
            RaceResult result = race.run();
            System.out.println("verdict " + result.verdict() + " lost " + result.lost());
            for (String line : result.schedule()) System.out.println(line);
        }
    }
}

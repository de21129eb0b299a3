package dev.racelab.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * race.interleave() in a Spring test: the @Transactional JdbcTemplate code, built on the DataSource bean when the
 * context started, is interleaved one JDBC step at a time, with no DataSource handed to it by the test.
 */
@SpringJUnitConfig(Counters.App.class)
class SpringRaceTest {
    static final long ID = 1;

    @Autowired
    HikariDataSource dataSource;
    @Autowired
    Counters counters;

    @RaceTest
    void theReadThenWriteLosesAnAddInAnInterleavingOfTheBeansOwnConnections(Race race) throws Exception {
        assertThat(race.interleave()).isSameAs(dataSource);
        race.setup(() -> counters.reset(ID));
        race.op(() -> counters.addReadThenWrite(ID, 10));
        race.expect(Invariant.sum("value", () -> counters.value(ID), 10));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isEqualTo(10);
        assertThat(result.schedulesFailed()).isPositive().isLessThan(result.schedulesRun());
        assertThat(String.join("\n", result.schedule())).contains("SELECT value FROM " + counters.table()).contains("commit");
        // After the race the bean is switched back: its connections come from the pool again.
        try (Connection c = dataSource.getConnection()) {
            assertThat(Proxy.isProxyClass(c.getClass())).isFalse();
        }
    }

    /** No race.run(): the extension runs the race when the method returns and fails the test on a FAIL. */
    @RaceTest
    void theAtomicAddLosesNothingInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(() -> counters.reset(ID));
        race.op(() -> counters.addAtomic(ID, 10));
        race.expect(Invariant.sum("value", () -> counters.value(ID), 10));
    }

    @RaceTest(threads = 4, invocations = 40)
    void theAtomicAddLosesNothingUnderLoad(Race race) {
        race.setup(() -> counters.reset(ID));
        race.op(() -> counters.addAtomic(ID, 10));
        race.expect(Invariant.sum("value", () -> counters.value(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(40);
        assertThat(counters.value(ID)).isEqualTo(400);
    }
}

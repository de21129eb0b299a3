package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;

/**
 * A {@code @DataJpaTest} runs each test in a transaction it rolls back. A race there would set up rows the
 * invocations cannot see, and its PASS would mean nothing: racelab refuses it in one line instead.
 */
@DataJpaTest(showSql = false)
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class DataJpaTestRefusalTest {
    static final long ID = 3;

    @Autowired
    AccountRepository accounts;

    @RaceTest(threads = 2, invocations = 4)
    void aRaceInsideTheTestsTransactionIsRefused(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> accounts.addToBalance(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.findById(ID).orElseThrow().getBalance(), 10));
        assertThatThrownBy(race::run).hasMessage("racelab: this race runs inside the test's own transaction (@Transactional on the"
                + " test, or @DataJpaTest, which is transactional): the invocations cannot see its uncommitted rows, and a PASS would"
                + " mean nothing. Put @Transactional(propagation = Propagation.NOT_SUPPORTED) on the test method or class.");
    }
}

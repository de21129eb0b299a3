package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A deposit at REPEATABLE READ on PostgreSQL: nothing is lost, but the second of two concurrent deposits fails
 * with a serialization failure and nobody runs it again; with {@code @Retryable} every deposit lands.
 * {@link MariaDbRepeatableReadRaceTest} shows that the same code on MariaDB loses the deposit instead.
 */
@SpringBootTest
class RepeatableReadRaceTest {
    static final long ID = 61;

    @Autowired
    DepositService deposits;
    @Autowired
    RetryingDepositService retrying;
    @Autowired
    AccountRepository accounts;

    long balance() {
        return accounts.findById(ID).orElseThrow().getBalance();
    }

    Invariant everyDepositLands() {
        return Invariant.that("every deposit is acknowledged and lands",
                o -> o.failed() == 0 && o.unknown() == 0 && balance() == 10L * o.acknowledged());
    }

    @RaceTest
    void withoutARetryADepositFailsInAnInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositRepeatableRead(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        race.expect(everyDepositLands());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).as("REPEATABLE READ on PostgreSQL loses nothing").isZero();
        assertThat(result.outcomes().failed()).isEqualTo(1);
        assertThat(result.message()).contains("could not serialize access due to concurrent update");
    }

    @RaceTest(threads = 8, invocations = 200)
    void withoutARetryDepositsFailUnderLoad(Race race) {
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositRepeatableRead(ID, 10));
        race.expect(everyDepositLands());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().failed()).isPositive();
    }

    @RaceTest
    void withRetryableEveryDepositLandsInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> retrying.depositRepeatableRead(ID, 10));
        race.expect(everyDepositLands());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }

    /** Two threads of 10: each failure of one is a commit of the other, so 10 retries always suffice. */
    @RaceTest(threads = 2, invocations = 20)
    void withRetryableEveryDepositLandsUnderLoad(Race race) {
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> retrying.depositRepeatableRead(ID, 10));
        race.expect(everyDepositLands());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(balance()).isEqualTo(200);
    }
}

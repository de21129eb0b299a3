package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Pattern (a): the entity read-modify-write loses a deposit when two interleave; the {@code @Modifying} update
 * loses none, interleaved or under load. race.interleave() takes no argument: the application's own DataSource
 * bean, under Spring Data and Hibernate, is the one interleaved.
 */
@SpringBootTest
class DepositRaceTest {
    static final long ID = 1;

    @Autowired
    DepositService deposits;
    @Autowired
    AccountRepository accounts;

    long balance() {
        return accounts.findById(ID).orElseThrow().getBalance();
    }

    @RaceTest
    void theReadModifyWriteDepositLosesOneInAnInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositReadModifyWrite(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isEqualTo(10);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
        // Hibernate's own SQL, as each invocation sent it through the application's DataSource bean.
        assertThat(String.join("\n", result.schedule())).contains(".shop_account a1_0 where a1_0.id=? [1]").containsPattern("invocation 2, transaction \\d+: update spring_shop_");
    }

    @RaceTest(threads = 8, invocations = 400)
    void theReadModifyWriteDepositLosesDepositsUnderLoad(Race race) {
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositReadModifyWrite(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isPositive();
    }

    /** No race.run(): the extension runs the race when the method returns and fails the test on a FAIL. */
    @RaceTest
    void theAtomicDepositLosesNothingInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositAtomic(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
    }

    @RaceTest(threads = 4, invocations = 40)
    void theAtomicDepositLosesNothingUnderLoad(Race race) {
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositAtomic(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(40);
        assertThat(balance()).isEqualTo(400);
    }
}

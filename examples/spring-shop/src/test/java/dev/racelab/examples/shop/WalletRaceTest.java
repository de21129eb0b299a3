package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Pattern (c): with {@code @Version} and no retry nothing is lost, but a deposit fails whenever another lands
 * between its read and its write; with Spring Framework 7's {@code @Retryable} around the transaction, every one lands.
 */
@SpringBootTest
class WalletRaceTest {
    static final long ID = 1;

    @Autowired
    WalletService once;
    @Autowired
    RetryingWalletService retrying;
    @Autowired
    WalletRepository wallets;

    long balance() {
        return wallets.findById(ID).orElseThrow().getBalance();
    }

    /** Every deposit is a customer's: each must be acknowledged and land. */
    Invariant everyDepositLands() {
        return Invariant.that("every deposit is acknowledged and lands", o -> o.failed() == 0 && o.unknown() == 0
                && balance() == 10L * o.acknowledged());
    }

    void freshWallet() {
        // A new row each time (delete, then insert): saving a detached copy would carry a stale version.
        wallets.deleteById(ID);
        wallets.save(new Wallet(ID, 0));
    }

    @RaceTest
    void withoutARetryADepositFailsInAnInterleaving(Race race) {
        race.interleave();
        race.setup(this::freshWallet);
        race.op(() -> once.deposit(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        race.expect(everyDepositLands());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).as("@Version loses nothing").isZero();
        assertThat(result.outcomes().failed()).isEqualTo(1);
        assertThat(result.message()).contains("ObjectOptimisticLockingFailureException");
    }

    @RaceTest(threads = 8, invocations = 200)
    void withoutARetryDepositsFailUnderLoad(Race race) {
        race.setup(this::freshWallet);
        race.op(() -> once.deposit(ID, 10));
        race.expect(everyDepositLands());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().failed()).isPositive();
        assertThat(balance()).as("nothing lost").isEqualTo(10 * result.outcomes().acknowledged());
    }

    @RaceTest
    void withRetryableEveryDepositLandsInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(this::freshWallet);
        race.op(() -> retrying.deposit(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        race.expect(everyDepositLands());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
        assertThat(result.schedulesRun()).isGreaterThan(1);
    }

    /** Two threads of 10 deposits: each failure of one is a commit of the other, so 10 retries always suffice. */
    @RaceTest(threads = 2, invocations = 20)
    void withRetryableEveryDepositLandsUnderLoad(Race race) {
        race.setup(this::freshWallet);
        race.op(() -> retrying.deposit(ID, 10));
        race.expect(everyDepositLands());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(balance()).isEqualTo(200);
    }
}

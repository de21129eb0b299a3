package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** A gift card's balance checked, then taken: two purchases spend it twice; the conditional update never overspends. */
@SpringBootTest
class GiftCardRaceTest {
    static final long CARD = 31;

    @Autowired
    SpendService spend;
    @Autowired
    AccountRepository accounts;

    long balance() {
        return accounts.findById(CARD).orElseThrow().getBalance();
    }

    @RaceTest
    void checkThenWriteOverspendsInAnInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(CARD, 50)));
        race.attempt(inv -> spend.spendCheckThenWrite(CARD, 50)); // false: the card does not cover it
        race.expect(Invariant.floor("balance", this::balance, 50));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).as("both purchases paid from one 50").isEqualTo(2);
    }

    @RaceTest(threads = 8, invocations = 200)
    void checkThenWriteOverspendsUnderLoad(Race race) {
        race.setup(() -> accounts.save(new Account(CARD, 500)));
        race.attempt(inv -> spend.spendCheckThenWrite(CARD, 50));
        race.expect(Invariant.floor("balance", this::balance, 50));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).as("more than the ten purchases 500 covers").isGreaterThan(10);
    }

    @RaceTest
    void theConditionalUpdateNeverOverspendsInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(CARD, 50)));
        race.attempt(inv -> spend.spendIfCovered(CARD, 50));
        race.expect(Invariant.floor("balance", this::balance, 50));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(1);
    }

    @RaceTest(threads = 8, invocations = 200)
    void theConditionalUpdateNeverOverspendsUnderLoad(Race race) {
        race.setup(() -> accounts.save(new Account(CARD, 500)));
        race.attempt(inv -> spend.spendIfCovered(CARD, 50));
        race.expect(Invariant.floor("balance", this::balance, 50));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(10);
        assertThat(balance()).isZero();
    }
}

package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * An idempotency key checked, then inserted: the same payment sent twice at once charges the card twice, though
 * only one payment row survives. Inserting the key first charges once. The invariant counts the effect, the
 * charges the card gateway made, not the acknowledged calls.
 */
@SpringBootTest
class PaymentRaceTest {
    @Autowired
    PaymentService payments;
    @Autowired
    PaymentRepository rows;
    @Autowired
    CardGateway gateway;

    /** The client's idempotency key: one per schedule, sent by both invocations. */
    String key;

    void freshKey() {
        key = "order-" + UUID.randomUUID();
    }

    Invariant chargedOnce() {
        return Invariant.that("the card is charged once per idempotency key, and one payment is recorded",
                o -> gateway.charges(key) == 1 && rows.countByIdempotencyKey(key) == 1);
    }

    @RaceTest
    void checkThenInsertChargesTwiceInAnInterleaving(Race race) {
        race.interleave();
        race.setup(this::freshKey);
        race.attempt(inv -> payments.payCheckThenInsert(key, 25));
        race.expect(chargedOnce());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).as("one paid, the other failed after its charge").isEqualTo(1);
        assertThat(result.message()).contains("DataIntegrityViolationException");
    }

    @RaceTest(threads = 8, invocations = 8)
    void checkThenInsertChargesMoreThanOnceUnderLoad(Race race) {
        race.setup(this::freshKey);
        race.attempt(inv -> payments.payCheckThenInsert(key, 25));
        race.expect(chargedOnce());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(gateway.charges(key)).isGreaterThan(1);
    }

    @RaceTest
    void insertingTheKeyFirstChargesOnceInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(this::freshKey);
        race.attempt(inv -> payments.payOnce(key, 25));
        race.expect(chargedOnce());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(1);
    }

    @RaceTest(threads = 8, invocations = 8)
    void insertingTheKeyFirstChargesOnceUnderLoad(Race race) {
        race.setup(this::freshKey);
        race.attempt(inv -> payments.payOnce(key, 25));
        race.expect(chargedOnce());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(1);
    }
}

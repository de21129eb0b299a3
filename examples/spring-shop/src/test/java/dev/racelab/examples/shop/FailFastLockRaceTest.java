package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A lock that fails fast: {@code for update nowait} ({@code jakarta.persistence.lock.timeout = 0}) refuses a buyer
 * whenever another holds the item's row, though it is in stock; the lock that waits serves both.
 * {@link MariaDbFailFastLockRaceTest} runs the same on MariaDB.
 */
@SpringBootTest
class FailFastLockRaceTest {
    static final long ID = 91;

    @Autowired
    StockService stock;
    @Autowired
    ItemRepository items;

    long left() {
        return items.findById(ID).orElseThrow().getStock();
    }

    /** How the server refuses the lock, in the failing schedule's words. */
    String lockRefusal() {
        return "SQLSTATE 55P03 ERROR: could not obtain lock on row";
    }

    Invariant everyBuyerServed() {
        return Invariant.that("every buyer is served while stock lasts", o -> o.failed() == 0 && o.unknown() == 0);
    }

    @RaceTest
    void nowaitRefusesABuyerInAnInterleaving(Race race) {
        race.interleave();
        race.setup(() -> items.save(new Item(ID, 5)));
        race.attempt(inv -> stock.buyFailFast(ID));
        race.expect(Invariant.floor("stock", this::left, 1));
        race.expect(everyBuyerServed());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().failed()).isEqualTo(1);
        assertThat(result.message()).contains("CannotAcquireLockException").contains(lockRefusal());
    }

    @RaceTest(threads = 8, invocations = 40)
    void nowaitRefusesBuyersUnderLoad(Race race) {
        race.setup(() -> items.save(new Item(ID, 40)));
        race.attempt(inv -> stock.buyFailFast(ID));
        race.expect(Invariant.floor("stock", this::left, 1));
        race.expect(everyBuyerServed());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().failed()).as("refused with stock left").isPositive();
    }

    @RaceTest
    void theLockThatWaitsServesEveryBuyerInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(() -> items.save(new Item(ID, 5)));
        race.attempt(inv -> stock.buyLocked(ID));
        race.expect(Invariant.floor("stock", this::left, 1));
        race.expect(everyBuyerServed());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }

    @RaceTest(threads = 8, invocations = 40)
    void theLockThatWaitsServesEveryBuyerUnderLoad(Race race) {
        race.setup(() -> items.save(new Item(ID, 40)));
        race.attempt(inv -> stock.buyLocked(ID));
        race.expect(Invariant.floor("stock", this::left, 1));
        race.expect(everyBuyerServed());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(left()).isZero();
    }
}

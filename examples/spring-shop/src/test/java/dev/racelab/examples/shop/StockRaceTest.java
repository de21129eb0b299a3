package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Pattern (b): check-then-decrement sells the last item twice; the {@code @Lock(PESSIMISTIC_WRITE)} read never oversells. */
@SpringBootTest
class StockRaceTest {
    static final long ID = 1;

    @Autowired
    StockService stock;
    @Autowired
    ItemRepository items;

    long left() {
        return items.findById(ID).orElseThrow().getStock();
    }

    @RaceTest
    void checkThenDecrementOversellsTheLastItemInAnInterleaving(Race race) {
        race.interleave();
        race.setup(() -> items.save(new Item(ID, 1)));
        race.attempt(inv -> stock.buyCheckThenDecrement(ID)); // false: sold out, a refusal
        race.expect(Invariant.floor("stock", this::left, 1));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).as("both bought the one item").isEqualTo(2);
        assertThat(result.schedulesFailed()).isPositive();
    }

    @RaceTest(threads = 8, invocations = 200)
    void checkThenDecrementOversellsUnderLoad(Race race) {
        race.setup(() -> items.save(new Item(ID, 20)));
        race.attempt(inv -> stock.buyCheckThenDecrement(ID));
        race.expect(Invariant.floor("stock", this::left, 1));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).as("more sold than the 20 in stock").isGreaterThan(20);
    }

    @RaceTest
    void theLockedReadNeverOversellsInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(() -> items.save(new Item(ID, 1)));
        race.attempt(inv -> stock.buyLocked(ID));
        race.expect(Invariant.floor("stock", this::left, 1));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.schedulesRun()).isGreaterThan(1);
        assertThat(result.outcomes().acknowledged()).as("one sold, one refused").isEqualTo(1);
        assertThat(result.outcomes().failed()).isEqualTo(1);
    }

    @RaceTest(threads = 4, invocations = 20)
    void theLockedReadNeverOversellsUnderLoad(Race race) {
        race.setup(() -> items.save(new Item(ID, 5)));
        race.attempt(inv -> stock.buyLocked(ID));
        race.expect(Invariant.floor("stock", this::left, 1));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(5);
        assertThat(left()).isZero();
    }
}

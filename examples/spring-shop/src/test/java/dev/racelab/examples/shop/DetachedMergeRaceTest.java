package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Status;
import dev.racelab.junit.Invariant;
import dev.racelab.junit.Outcomes;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The owner edits an item's price from a copy loaded when the form opened, while a customer buys one: saving the
 * detached copy merges its stale stock over the sale. Writing only the price keeps the sale.
 */
@SpringBootTest
class DetachedMergeRaceTest {
    static final long ID = 71;

    @Autowired
    CatalogueService catalogue;
    @Autowired
    StockService stock;
    @Autowired
    ItemRepository items;

    long left() {
        return items.findById(ID).orElseThrow().getStock();
    }

    /** Even invocations edit the price, odd ones buy. */
    static boolean buys(int invocation) {
        return invocation % 2 == 1;
    }

    static long sales(Outcomes o) {
        return o.withStatus(Status.OK).stream().filter(DetachedMergeRaceTest::buys).count();
    }

    Invariant everySaleStays() {
        return Invariant.that("the stock counts every sale", o -> left() == 5 - sales(o));
    }

    void editFromACopy() {
        Item copy = catalogue.loadForEditing(ID);
        copy.setPrice(copy.getPrice() + 1);
        catalogue.saveEdited(copy);
    }

    @RaceTest(schedules = 50, sampleSeed = 1)
    void mergingTheDetachedCopyUndoesASaleInAnInterleaving(Race race) {
        race.interleave();
        race.setup(() -> items.save(new Item(ID, 5)));
        race.attempt(inv -> {
            if (buys(inv.index())) return stock.buyLocked(ID);
            editFromACopy();
            return true;
        });
        race.expect(everySaleStays());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }

    @RaceTest(schedules = 50, sampleSeed = 1)
    void writingOnlyThePriceKeepsEverySaleInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(() -> items.save(new Item(ID, 5)));
        race.attempt(inv -> {
            if (buys(inv.index())) return stock.buyLocked(ID);
            catalogue.changePrice(ID, 12);
            return true;
        });
        race.expect(everySaleStays());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }

    /** 20 edits and 20 sales of an item with 40 in stock, 8 at a time. */
    @RaceTest(threads = 8, invocations = 40)
    void mergingDetachedCopiesUndoesSalesUnderLoad(Race race) {
        race.setup(() -> items.save(new Item(ID, 40)));
        race.attempt(inv -> {
            if (buys(inv.index())) return stock.buyLocked(ID);
            editFromACopy();
            return true;
        });
        race.expect(Invariant.that("the stock counts every sale", o -> left() == 40 - sales(o)));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
    }

    @RaceTest(threads = 8, invocations = 40)
    void writingOnlyThePriceKeepsEverySaleUnderLoad(Race race) {
        race.setup(() -> items.save(new Item(ID, 40)));
        race.attempt(inv -> {
            if (buys(inv.index())) return stock.buyLocked(ID);
            catalogue.changePrice(ID, 12);
            return true;
        });
        race.expect(Invariant.that("the stock counts every sale", o -> left() == 40 - sales(o)));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(left()).isEqualTo(20);
    }
}

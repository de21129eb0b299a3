package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Two transfers in opposite directions between two accounts: read-modify-write of both balances creates or destroys
 * money; locking both rows, the lower id first, keeps the total.
 */
@SpringBootTest
class TransferRaceTest {
    static final long A = 41;
    static final long B = 42;

    @Autowired
    TransferService transfers;
    @Autowired
    AccountRepository accounts;

    void twoAccounts() {
        accounts.saveAll(List.of(new Account(A, 100), new Account(B, 100)));
    }

    long total() {
        return accounts.total(List.of(A, B));
    }

    /** Even invocations move 10 from A to B, odd ones 10 back. */
    static long from(int invocation) {
        return invocation % 2 == 0 ? A : B;
    }

    static long to(int invocation) {
        return invocation % 2 == 0 ? B : A;
    }

    @RaceTest(schedules = 50, sampleSeed = 1)
    void readModifyWriteCreatesOrDestroysMoneyInAnInterleaving(Race race) {
        race.interleave();
        race.setup(this::twoAccounts);
        race.op(inv -> transfers.transferReadModifyWrite(from(inv.index()), to(inv.index()), 10));
        race.expect(Invariant.conserved("total of both balances", this::total));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.schedulesFailed()).isPositive();
    }

    @RaceTest(threads = 8, invocations = 200)
    void readModifyWriteCreatesOrDestroysMoneyUnderLoad(Race race) {
        race.setup(this::twoAccounts);
        race.op(inv -> transfers.transferReadModifyWrite(from(inv.index()), to(inv.index()), 10));
        race.expect(Invariant.conserved("total of both balances", this::total));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
    }

    @RaceTest(schedules = 50, sampleSeed = 1)
    void lockingBothRowsInIdOrderKeepsTheTotalInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(this::twoAccounts);
        race.op(inv -> transfers.transferLocked(from(inv.index()), to(inv.index()), 10));
        race.expect(Invariant.conserved("total of both balances", this::total));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }

    @RaceTest(threads = 8, invocations = 200)
    void lockingBothRowsInIdOrderKeepsTheTotalUnderLoad(Race race) {
        race.setup(this::twoAccounts);
        race.op(inv -> transfers.transferLocked(from(inv.index()), to(inv.index()), 10));
        race.expect(Invariant.conserved("total of both balances", this::total));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).as("no deadlock, no failure").isEqualTo(200);
    }
}

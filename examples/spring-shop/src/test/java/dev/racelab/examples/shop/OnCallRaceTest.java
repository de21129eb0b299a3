package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Two doctors on call, each asks to go off call: write skew at REPEATABLE READ leaves nobody on call; so does the
 * SERIALIZABLE method called on {@code this}, whose isolation Spring's proxy never sees. Through the proxy, with a
 * retry, one doctor stays. {@link MariaDbOnCallRaceTest} runs the same on MariaDB.
 */
@SpringBootTest
class OnCallRaceTest {
    static final long SHIFT = 51;
    static final long ANN = 51;
    static final long BOB = 52;

    @Autowired
    OnCallService onCall;
    @Autowired
    RetryingOnCallService retrying;
    @Autowired
    DoctorRepository doctors;

    void twoOnCall() {
        doctors.saveAll(List.of(new Doctor(ANN, SHIFT, true), new Doctor(BOB, SHIFT, true)));
    }

    /** Under load: 20 shifts of two doctors on call each; doctor 1000 + i and 1000 + i + 1 (i even) share a shift. */
    static final int DOCTORS = 40;

    static long loadDoctor(int invocation) {
        return 1000 + invocation;
    }

    void twentyShiftsOfTwo() {
        doctors.saveAll(IntStream.range(0, DOCTORS).mapToObj(i -> new Doctor(loadDoctor(i), 1000 + i / 2, true)).toList());
    }

    Invariant everyShiftKeepsOneOnCall() {
        return Invariant.that("every shift keeps a doctor on call",
                o -> IntStream.range(0, DOCTORS / 2).allMatch(s -> doctors.countByShiftAndOnCallTrue(1000 + s) >= 1));
    }

    /** Invocation 0 is Ann, 1 is Bob. */
    static long doctor(int invocation) {
        return invocation % 2 == 0 ? ANN : BOB;
    }

    Invariant someoneOnCall() {
        return Invariant.that("a doctor stays on call", o -> doctors.countByShiftAndOnCallTrue(SHIFT) >= 1);
    }

    @RaceTest(schedules = 50, sampleSeed = 1)
    void repeatableReadLeavesNobodyOnCallInAnInterleaving(Race race) {
        race.interleave();
        race.setup(this::twoOnCall);
        race.attempt(inv -> onCall.goOffCallRepeatableRead(doctor(inv.index())));
        race.expect(someoneOnCall());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).as("both went off call").isEqualTo(2);
    }

    @RaceTest(schedules = 50, sampleSeed = 1)
    void serializableCalledOnThisLeavesNobodyOnCallInAnInterleaving(Race race) {
        race.interleave();
        race.setup(this::twoOnCall);
        race.attempt(inv -> onCall.goOffCallSelfInvoked(doctor(inv.index())));
        race.expect(someoneOnCall());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }

    @RaceTest(schedules = 50, sampleSeed = 1)
    void serializableThroughTheProxyWithARetryKeepsOneOnCallInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(this::twoOnCall);
        race.attempt(inv -> retrying.goOffCall(doctor(inv.index())));
        race.expect(someoneOnCall());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).as("one off call, one refused").isEqualTo(1);
    }

    @RaceTest(threads = 8, invocations = DOCTORS)
    void repeatableReadLeavesShiftsWithNobodyOnCallUnderLoad(Race race) {
        race.setup(this::twentyShiftsOfTwo);
        race.attempt(inv -> onCall.goOffCallRepeatableRead(loadDoctor(inv.index())));
        race.expect(everyShiftKeepsOneOnCall());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).as("more off call than the 20 that may go").isGreaterThan(DOCTORS / 2);
    }

    @RaceTest(threads = 8, invocations = DOCTORS)
    void serializableCalledOnThisLeavesShiftsWithNobodyOnCallUnderLoad(Race race) {
        race.setup(this::twentyShiftsOfTwo);
        race.attempt(inv -> onCall.goOffCallSelfInvoked(loadDoctor(inv.index())));
        race.expect(everyShiftKeepsOneOnCall());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
    }

    @RaceTest(threads = 8, invocations = DOCTORS)
    void serializableThroughTheProxyWithARetryKeepsOneOnCallUnderLoad(Race race) {
        race.setup(this::twentyShiftsOfTwo);
        race.attempt(inv -> retrying.goOffCall(loadDoctor(inv.index())));
        race.expect(everyShiftKeepsOneOnCall());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(DOCTORS / 2);
    }
}

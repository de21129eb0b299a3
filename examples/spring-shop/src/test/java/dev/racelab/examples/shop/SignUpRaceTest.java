package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Check-then-insert uniqueness: two sign-ups with one email both find it free. The unique constraint keeps one row,
 * but the loser of the check-then-insert gets an error, not "taken"; insert-and-catch answers "taken".
 */
@SpringBootTest
class SignUpRaceTest {
    @Autowired
    MemberService signUps;
    @Autowired
    MemberRepository members;

    /** A new email per schedule, so no row of an earlier one (or an earlier run) is in the way. */
    String email;
    /** Sign-ups that ended with an error page rather than "welcome" or "taken". */
    final AtomicInteger errors = new AtomicInteger();

    void freshEmail() {
        email = "ann-" + UUID.randomUUID() + "@example.com";
        errors.set(0);
    }

    boolean counted(SignUp signUp) {
        try {
            return signUp.run();
        } catch (DataIntegrityViolationException e) {
            errors.incrementAndGet();
            throw e;
        }
    }

    interface SignUp {
        boolean run();
    }

    Invariant oneMemberAndEveryOtherToldTaken() {
        return Invariant.that("one member per email, and every other sign-up told it is taken",
                o -> members.countByEmail(email) == 1 && o.acknowledged() == 1 && errors.get() == 0);
    }

    @RaceTest
    void checkThenInsertAnswersTheLoserWithAnErrorInAnInterleaving(Race race) {
        race.interleave();
        race.setup(this::freshEmail);
        race.attempt(inv -> counted(() -> signUps.signUpCheckThenInsert(email)));
        race.expect(oneMemberAndEveryOtherToldTaken());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.message()).contains("DataIntegrityViolationException");
    }

    @RaceTest(threads = 8, invocations = 8)
    void checkThenInsertAnswersLosersWithErrorsUnderLoad(Race race) {
        race.setup(this::freshEmail);
        race.attempt(inv -> counted(() -> signUps.signUpCheckThenInsert(email)));
        race.expect(oneMemberAndEveryOtherToldTaken());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(errors.get()).isPositive();
    }

    @RaceTest
    void insertAndCatchSaysTakenInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(this::freshEmail);
        race.attempt(inv -> counted(() -> signUps.signUp(email)));
        race.expect(oneMemberAndEveryOtherToldTaken());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.schedulesRun()).isGreaterThan(1);
    }

    @RaceTest(threads = 8, invocations = 40)
    void insertAndCatchSaysTakenUnderLoad(Race race) {
        race.setup(this::freshEmail);
        race.attempt(inv -> counted(() -> signUps.signUp(email)));
        race.expect(oneMemberAndEveryOtherToldTaken());
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().failed()).isEqualTo(39);
    }
}

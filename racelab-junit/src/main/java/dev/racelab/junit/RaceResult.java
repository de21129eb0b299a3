package dev.racelab.junit;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The verdict of a race: each invariant's finding, how the invocations ended, and for an
 * interleaving race the schedules run and the first failing one, statement by statement, with
 * the seed that replays it. {@code message} is what a failing {@link RaceTest} shows.
 *
 * <pre>{@code
 * RaceResult result = race.run();
 * assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
 * assertThat(result.lost()).isPositive();
 * System.out.println(result.message());
 * }</pre>
 *
 * @param verdict         PASS when every invariant held (in every schedule), FAIL otherwise
 * @param findings        each invariant's finding, in the order they were expected; of the shown schedule when interleaving
 * @param outcomes        the invocations of the race, or of the failing schedule (the last one when all pass)
 * @param schedule        the failing schedule's steps in order, or the last schedule's when all pass; empty under load
 * @param seed            the seed that replays {@code schedule}, empty under load or when it is too long for one
 * @param schedulesRun    schedules run; 0 under load
 * @param schedulesFailed schedules in which an invariant broke
 * @param message         the verdict in words: the findings' sentences, how the invocations ended and, when
 *                        interleaving, the shown schedule
 */
public record RaceResult(Verdict verdict, List<Finding> findings, Outcomes outcomes, List<String> schedule, OptionalLong seed,
                         long schedulesRun, long schedulesFailed, String message) {
    /** PASS when every invariant held (in every schedule); FAIL otherwise. */
    public enum Verdict {
        /** Every invariant held. */
        PASS,
        /** At least one invariant broke. */
        FAIL
    }

    /**
     * Checks the components and copies the lists.
     *
     * @throws NullPointerException if a component other than the counts is null, or a list holds a null
     */
    public RaceResult {
        Objects.requireNonNull(verdict, "verdict");
        findings = List.copyOf(findings);
        Objects.requireNonNull(outcomes, "outcomes");
        schedule = List.copyOf(schedule);
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Whether the race passed.
     *
     * @return true when the verdict is PASS
     */
    public boolean passed() {
        return verdict == Verdict.PASS;
    }

    /**
     * Acknowledged change missing, summed over the findings.
     *
     * @return the sum of the findings' {@link Finding#lost() lost}; 0 when nothing is missing
     */
    public long lost() {
        return findings.stream().mapToLong(Finding::lost).sum();
    }
}

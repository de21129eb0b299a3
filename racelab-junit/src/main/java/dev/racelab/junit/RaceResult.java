package dev.racelab.junit;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The verdict of a race: each invariant's finding, how the invocations ended, and for an
 * interleaving race the schedules run and the first failing one, statement by statement, with
 * the seed that replays it; why invocations failed, by kind; and whether the race raced enough for a PASS
 * to mean anything ({@link #contention()}). {@code message} is what a failing {@link RaceTest} shows.
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
 * @param distinctSchedules schedules that differed from each other in the order their steps reached the database
 *                        (lock waits make some decisions lead to the same order); 0 under load
 * @param contention      how much the race raced: acknowledged invocations that overlapped (load), or schedules that
 *                        interleaved two acknowledged invocations
 * @param failures        why invocations failed, by kind, SQLSTATE and exception, the largest group first; across every
 *                        schedule when interleaving
 * @param message         the verdict in words: the findings' sentences, how the invocations ended and, when
 *                        interleaving, the shown schedule
 */
public record RaceResult(Verdict verdict, List<Finding> findings, Outcomes outcomes, List<String> schedule, OptionalLong seed,
                         long schedulesRun, long schedulesFailed, long distinctSchedules, Contention contention,
                         List<FailureGroup> failures, String message) {
    /** PASS when every invariant held and the race raced; FAIL when one broke; HARDLY_RAN when they held but too little raced. */
    public enum Verdict {
        /** Every invariant held, and enough acknowledged invocations overlapped for that to mean something. */
        PASS,
        /** At least one invariant broke. */
        FAIL,
        /**
         * Every invariant held, but too few acknowledged invocations overlapped ({@link RaceResult#contention()}):
         * the race hardly ran, so the invariants were not tested. A {@link RaceTest} fails with it.
         */
        HARDLY_RAN
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
        Objects.requireNonNull(contention, "contention");
        failures = List.copyOf(failures);
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
     * How many invocations failed so, across the race (every schedule, when interleaving).
     *
     * @param kind the kind of failure
     * @return the number of invocations that failed with that kind; 0 when none did
     */
    public long failed(FailureKind kind) {
        return failures.stream().filter(g -> g.kind() == kind).mapToLong(FailureGroup::count).sum();
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

package dev.racelab.junit;

import java.util.Objects;

/**
 * How much the race really raced, which a PASS needs: a race whose answered operations hardly
 * overlapped tested no invariant. Under load, {@code overlapped} counts the answered invocations (those
 * that returned: acknowledged, or refused by returning false from {@link Race#attempt}) that overlapped
 * another answered one in time, of {@code of} answered; one that threw (a deadlock victim, say) tested
 * nothing. When interleaving, the schedules in which two invocations overlapped (one took a step between
 * the other's first step and its return), of {@code of} schedules run. Below {@code required} the verdict
 * is {@link RaceResult.Verdict#HARDLY_RAN}.
 *
 * <pre>{@code
 * Contention c = race.run().contention();
 * assertThat(c.enough()).as(c.sentence()).isTrue();
 * }</pre>
 *
 * @param overlapped answered invocations that overlapped another (load), or schedules that interleaved two
 *                   invocations (interleaving)
 * @param of         answered invocations (load), or schedules run (interleaving)
 * @param required   the least {@code overlapped} this race accepts: {@link RaceTest#minOverlapped()} or
 *                   {@link RaceTest#minInterleaved()}; 0 when not checked (a replayed seed)
 * @param sentence   the measure in words, with the threshold
 */
public record Contention(long overlapped, long of, long required, String sentence) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a count is negative or {@code overlapped} exceeds {@code of}
     * @throws NullPointerException     if {@code sentence} is null
     */
    public Contention {
        if (overlapped < 0 || of < 0 || required < 0) throw new IllegalArgumentException("counts must be >= 0");
        if (overlapped > of) throw new IllegalArgumentException("overlapped (" + overlapped + ") must not exceed of (" + of + ")");
        Objects.requireNonNull(sentence, "sentence");
    }

    /**
     * Whether the race raced enough for its verdict to mean something.
     *
     * @return true when {@code overlapped >= required}
     */
    public boolean enough() {
        return overlapped >= required;
    }
}

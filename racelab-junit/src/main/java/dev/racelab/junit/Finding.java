package dev.racelab.junit;

import java.util.Objects;

/**
 * What one invariant found after a race: whether it holds, the expected and actual values as
 * the sentence shows them, how much acknowledged change is missing ({@code lost}), and the
 * sentence itself, in the words of racelab's CLI.
 *
 * <pre>{@code
 * Finding f = race.run().findings().getFirst();
 * assertThat(f.holds()).isFalse();
 * assertThat(f.lost()).isPositive();
 * }</pre>
 *
 * @param invariant the invariant as the sentence names it, such as {@code "sum of balance"}
 * @param holds     whether the invariant held
 * @param expected  the expected value as text, such as {@code "20"} or {@code "at most 1 per key"}
 * @param actual    the actual value as text, such as {@code "10"} or {@code "2 extra"}
 * @param lost      acknowledged change missing, {@code >= 0}; 0 for invariants that count none
 * @param sentence  the whole sentence: the invariant, the values and what they mean
 */
public record Finding(String invariant, boolean holds, String expected, String actual, long lost, String sentence) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException     if {@code invariant} or {@code sentence} is null
     * @throws IllegalArgumentException if {@code lost} is negative
     */
    public Finding {
        Objects.requireNonNull(invariant, "invariant");
        Objects.requireNonNull(sentence, "sentence");
        if (lost < 0) throw new IllegalArgumentException("lost must be >= 0, was " + lost);
    }
}

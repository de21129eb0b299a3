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
 */
public record Finding(String invariant, boolean holds, String expected, String actual, long lost, String sentence) {
    public Finding {
        Objects.requireNonNull(invariant, "invariant");
        Objects.requireNonNull(sentence, "sentence");
        if (lost < 0) throw new IllegalArgumentException("lost must be >= 0, was " + lost);
    }
}

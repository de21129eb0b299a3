package dev.racelab.internal.vocab;

/** A verdict's word: whether every invariant held. Written as PASS or FAIL in tables and JSON. */
public enum PassFail {
    PASS, FAIL;

    public static PassFail of(boolean passed) {
        return passed ? PASS : FAIL;
    }

    public boolean passed() {
        return this == PASS;
    }
}

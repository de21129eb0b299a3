package dev.racelab.junit.internal.invariants;

import java.util.Locale;

/** Numbers and counted nouns as racelab's tables and sentences write them: 1,425 and "2 acknowledged operations". */
public final class Words {
    private Words() {
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String things(long n, String singular) {
        return count(n) + " " + singular + (n == 1 ? "" : "s");
    }
}

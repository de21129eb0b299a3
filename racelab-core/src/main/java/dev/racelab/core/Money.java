package dev.racelab.core;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money is held exactly, as a whole number of minor units (cents) in a long, never as a
 * float. Amounts come in as decimal numbers with at most two decimals and leave the same way.
 */
public final class Money {
    /** Ten billion in major units: far above any amount racelab is asked to move, far below overflow. */
    public static final long MAX_MINOR = 1_000_000_000_000L;

    private Money() {
    }

    /**
     * The minor units of a positive amount such as {@code 10}, {@code 10.5} or {@code 10.50}.
     * Refuses zero, negatives, more than two decimals and amounts above {@link #MAX_MINOR}.
     */
    public static long parsePositive(BigDecimal amount) {
        if (amount == null) throw new IllegalArgumentException("amount is required");
        if (amount.signum() <= 0) throw new IllegalArgumentException("amount must be positive, was " + amount.toPlainString());
        BigDecimal cents;
        try {
            cents = amount.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount has more than 2 decimals: " + amount.toPlainString());
        }
        if (cents.compareTo(BigDecimal.valueOf(MAX_MINOR)) > 0) {
            throw new IllegalArgumentException("amount is too large: " + amount.toPlainString() + " (at most "
                    + format(MAX_MINOR) + ")");
        }
        return cents.longValueExact();
    }

    /** Minor units as a decimal with two places: 100050 becomes 1000.50. */
    public static BigDecimal toDecimal(long minor) {
        return BigDecimal.valueOf(minor, 2);
    }

    public static String format(long minor) {
        return toDecimal(minor).toPlainString();
    }
}

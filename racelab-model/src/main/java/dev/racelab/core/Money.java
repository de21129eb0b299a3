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
    /** Decimals an amount may be written with, when all but two are zeros (10.500). */
    private static final int MAX_WRITTEN_DECIMALS = 20;
    /** Digits an amount may be written with: MAX_MINOR has 13, and 20 decimals more are allowed. */
    private static final int MAX_WRITTEN_DIGITS = 40;
    /** 10^40 < 2^133: a cheap first test, before counting decimal digits. */
    private static final int MAX_WRITTEN_BITS = 133;
    /** MAX_MINOR is 10000000000.00: 11 digits left of the point. */
    private static final int MAX_DIGITS_LEFT_OF_POINT = 11;
    /** How much of an amount a message quotes. */
    private static final int QUOTED_CHARS = 40;

    private Money() {
    }

    /**
     * The minor units of a positive amount such as {@code 10}, {@code 10.5} or {@code 10.50}.
     * Refuses zero, negatives, more than two decimals and amounts above {@link #MAX_MINOR}.
     * The exponent and the digits are bounded before any arithmetic, so an amount such as
     * {@code 1e300000000} is refused at once, and a message quotes at most 40 characters of it.
     */
    public static long parsePositive(BigDecimal amount) {
        if (amount == null) throw new IllegalArgumentException("amount is required");
        if (amount.signum() <= 0) throw new IllegalArgumentException("amount must be positive, was " + show(amount));
        // Bounds first, each cheap: the digits' bit length, then their count, then where the point sits.
        if (amount.unscaledValue().bitLength() > MAX_WRITTEN_BITS || amount.precision() > MAX_WRITTEN_DIGITS) {
            throw new IllegalArgumentException("amount is written with more than " + MAX_WRITTEN_DIGITS + " digits: " + show(amount));
        }
        if ((long) amount.precision() - amount.scale() > MAX_DIGITS_LEFT_OF_POINT) throw tooLarge(amount);
        if (amount.scale() > MAX_WRITTEN_DECIMALS) {
            throw new IllegalArgumentException("amount has more than 2 decimals: " + show(amount));
        }
        BigDecimal cents;
        try {
            cents = amount.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount has more than 2 decimals: " + show(amount));
        }
        if (cents.compareTo(BigDecimal.valueOf(MAX_MINOR)) > 0) throw tooLarge(amount);
        return cents.longValueExact();
    }

    private static IllegalArgumentException tooLarge(BigDecimal amount) {
        return new IllegalArgumentException("amount is too large: " + show(amount) + " (at most " + format(MAX_MINOR) + ")");
    }

    /** The amount for a message: its plain digits when they are few, else its scientific form cut short. */
    private static String show(BigDecimal amount) {
        boolean few = amount.unscaledValue().bitLength() <= MAX_WRITTEN_BITS && amount.precision() <= MAX_WRITTEN_DIGITS
                && Math.abs((long) amount.scale()) <= MAX_WRITTEN_DIGITS;
        if (few) return amount.toPlainString();
        if (amount.unscaledValue().bitLength() > 3_400) return "a number of over 1000 digits";
        String text = amount.toString();
        return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "...";
    }

    /** Minor units as a decimal with two places: 100050 becomes 1000.50. */
    public static BigDecimal toDecimal(long minor) {
        return BigDecimal.valueOf(minor, 2);
    }

    public static String format(long minor) {
        return toDecimal(minor).toPlainString();
    }
}

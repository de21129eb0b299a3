package dev.racelab.internal.input;

import java.math.BigDecimal;

/**
 * Bounds on numbers that come from outside: request bodies, flags, specs, and what a server or
 * a database answers. BigDecimal arithmetic costs time and memory in the exponent, not in the
 * text: the 11 characters of {@code 1e300000000} plus one needs 300 million digits. So such a
 * number is checked with {@link #fits} before any arithmetic, and quoted only through
 * {@link #show} or {@link #excerpt}.
 */
public final class OutsideNumbers {
    /** Significant digits a number may have: far beyond any balance, count or amount. */
    public static final int MAX_DIGITS = 100;
    /** How many places the decimal point may sit from the digits, either way. */
    public static final int MAX_SCALE = 100;
    /** The limits in words, for a message. */
    public static final String LIMITS = "at most " + MAX_DIGITS + " digits, within 10^" + MAX_SCALE + " of 1 either way";
    /** How much of an input a message quotes. */
    public static final int QUOTED_CHARS = 40;
    /** 10^100 < 2^333: a cheap first test, before counting decimal digits. */
    private static final int MAX_BITS = 333;
    /** Beyond this the digits are not even turned into text. */
    private static final int SHOWN_BITS = 3_400;

    private OutsideNumbers() {
    }

    /** Whether arithmetic on {@code value} is cheap: few digits, and the point near them. */
    public static boolean fits(BigDecimal value) {
        return Math.abs((long) value.scale()) <= MAX_SCALE && value.unscaledValue().bitLength() <= MAX_BITS
                && value.precision() <= MAX_DIGITS;
    }

    /** The value for a message: its plain digits when it fits, else its scientific form cut short. */
    public static String show(BigDecimal value) {
        if (fits(value)) return value.toPlainString();
        if (value.unscaledValue().bitLength() > SHOWN_BITS) return "a number of over 1000 digits";
        return excerpt(value.toString());
    }

    /** At most {@link #QUOTED_CHARS} characters of {@code text}, and "..." when there was more. */
    public static String excerpt(String text) {
        if (text == null) return "null";
        return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "...";
    }
}

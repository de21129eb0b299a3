package dev.racelab.junit;

import java.util.Objects;

/**
 * Invocations that failed the same way: the same {@link FailureKind}, SQLSTATE and exception class,
 * whatever their messages said.
 *
 * <pre>{@code
 * FailureGroup g = race.run().failures().getFirst();   // the largest group
 * assertThat(g.kind()).isEqualTo(FailureKind.DEADLOCK);
 * assertThat(g.sqlState()).isEqualTo("40P01");
 * }</pre>
 *
 * @param kind      why they failed
 * @param sqlState  the SQLSTATE of the first SQLException in the cause chain, or {@code ""} when there was none
 * @param exception the simple name of the exception the raced operation threw, or {@code ""} for a refusal
 * @param count     how many invocations failed so, {@code >= 1}
 * @param example   the first one's message, on one line and shortened
 */
public record FailureGroup(FailureKind kind, String sqlState, String exception, long count, String example) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException     if a text or the kind is null
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public FailureGroup {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(exception, "exception");
        Objects.requireNonNull(example, "example");
        if (count < 1) throw new IllegalArgumentException("count must be >= 1, was " + count);
    }

    /**
     * The group as a failure message names it.
     *
     * @return such as {@code "deadlock, SQLSTATE 40P01, PSQLException (279)"}, or {@code "IllegalStateException (3)"}
     *         for an exception of no known kind
     */
    public String describe() {
        StringBuilder s = new StringBuilder(kind == FailureKind.OTHER ? "" : kind.words());
        if (!sqlState.isEmpty()) s.append(s.isEmpty() ? "" : ", ").append("SQLSTATE ").append(sqlState);
        if (!exception.isEmpty()) s.append(s.isEmpty() ? "" : ", ").append(exception);
        return s.append(" (").append(String.format(java.util.Locale.ROOT, "%,d", count)).append(")").toString();
    }
}

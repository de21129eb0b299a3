package dev.racelab.junit;

import dev.racelab.core.Status;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How each invocation of the raced operation ended, by its index: OK when it returned,
 * FAIL when it threw (or an {@link Race#attempt attempt} returned false), a failure the client
 * saw, and UNKNOWN when it was cut off by the timeout, so it may or may not have landed.
 *
 * <pre>{@code
 * race.expect(Invariant.that("every transfer answered", o -> o.unknown() == 0));
 * }</pre>
 *
 * @param statuses how each invocation ended, by its index
 */
public record Outcomes(List<Status> statuses) {
    /**
     * Copies {@code statuses}, so later changes to the given list do not show here.
     *
     * @throws NullPointerException if {@code statuses} or one of its elements is null
     */
    public Outcomes {
        statuses = List.copyOf(statuses);
    }

    /**
     * How many invocations ran.
     *
     * @return the number of invocations in the race, or in the schedule
     */
    public int invocations() {
        return statuses.size();
    }

    /**
     * How one invocation ended.
     *
     * @param invocation the invocation's index, from 0
     * @return its status: OK, FAIL or UNKNOWN
     * @throws IndexOutOfBoundsException if no invocation has that index
     */
    public Status status(int invocation) {
        return statuses.get(invocation);
    }

    /**
     * Counts the invocations that succeeded.
     *
     * @return the number that ended OK
     */
    public long acknowledged() {
        return count(Status.OK);
    }

    /**
     * Counts the invocations that failed as the client saw it.
     *
     * @return the number that ended FAIL
     */
    public long failed() {
        return count(Status.FAIL);
    }

    /**
     * Counts the invocations cut off by the timeout, which may or may not have landed.
     *
     * @return the number that ended UNKNOWN
     */
    public long unknown() {
        return count(Status.UNKNOWN);
    }

    /**
     * The indexes of the invocations that ended so, in order.
     *
     * @param status the status to look for
     * @return the matching indexes in ascending order; empty when none ended so
     */
    public List<Integer> withStatus(Status status) {
        return IntStream.range(0, statuses.size()).filter(i -> statuses.get(i) == status).boxed().toList();
    }

    private long count(Status s) {
        return statuses.stream().filter(x -> x == s).count();
    }
}

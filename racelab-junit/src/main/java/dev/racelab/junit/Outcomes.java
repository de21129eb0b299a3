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
 */
public record Outcomes(List<Status> statuses) {
    public Outcomes {
        statuses = List.copyOf(statuses);
    }

    public int invocations() {
        return statuses.size();
    }

    public Status status(int invocation) {
        return statuses.get(invocation);
    }

    public long acknowledged() {
        return count(Status.OK);
    }

    public long failed() {
        return count(Status.FAIL);
    }

    public long unknown() {
        return count(Status.UNKNOWN);
    }

    /** The indexes of the invocations that ended so, in order. */
    public List<Integer> withStatus(Status status) {
        return IntStream.range(0, statuses.size()).filter(i -> statuses.get(i) == status).boxed().toList();
    }

    private long count(Status s) {
        return statuses.stream().filter(x -> x == s).count();
    }
}

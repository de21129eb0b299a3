package dev.racelab.internal.check;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How much a run raced: of the operations given (a run's acknowledged ones), how many overlapped
 * another of them in time. An operation that overlapped none ran alone and tested no invariant: a
 * run whose acknowledged operations hardly overlapped proves nothing, whatever its final state.
 * Times must come from one clock (one process's nanoTime, or a schedule's step numbers).
 */
public final class Overlap {
    private Overlap() {
    }

    /**
     * Counts the intervals [start, end] that share some open stretch of time with another one.
     *
     * @param starts each operation's start
     * @param ends   each operation's end, by the same index, {@code >= start}
     * @return how many of them overlapped at least one other
     * @throws IllegalArgumentException if the arrays differ in length or an end is before its start
     */
    public static long overlapped(long[] starts, long[] ends) {
        if (starts.length != ends.length) throw new IllegalArgumentException("starts and ends differ in length");
        int n = starts.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (ends[i] < starts[i]) throw new IllegalArgumentException("an operation cannot end before it starts");
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> starts[i]));
        boolean[] overlaps = new boolean[n];
        long maxEnd = Long.MIN_VALUE;
        int maxEndAt = -1;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            // An earlier-starting one still running when this starts: both overlap.
            if (maxEndAt >= 0 && maxEnd > starts[i]) {
                overlaps[i] = true;
                overlaps[maxEndAt] = true;
            }
            if (ends[i] > maxEnd) {
                maxEnd = ends[i];
                maxEndAt = i;
            }
        }
        long count = 0;
        for (boolean b : overlaps) if (b) count++;
        return count;
    }
}

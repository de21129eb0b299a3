package dev.racelab.internal.probe.sql;

import dev.racelab.core.UsageException;
import java.util.ArrayList;
import java.util.List;

/** Every interleaving of the sessions' steps that keeps each session's own order, as isolationtester makes them. */
final class Permutations {
    /** More than this and the spec should list the permutations it means. */
    static final int LIMIT = 20_000;

    private Permutations() {
    }

    static List<List<ProbeSpec.Step>> interleavings(List<ProbeSpec.Session> sessions) {
        long count = count(sessions);
        if (count > LIMIT) {
            throw new UsageException("the sessions' steps make " + count + " interleavings, more than " + LIMIT
                    + "; list the ones to run under permutations:");
        }
        List<List<ProbeSpec.Step>> out = new ArrayList<>();
        extend(sessions, new int[sessions.size()], new ArrayList<>(), out);
        return out;
    }

    private static void extend(List<ProbeSpec.Session> sessions, int[] next, List<ProbeSpec.Step> prefix, List<List<ProbeSpec.Step>> out) {
        boolean any = false;
        for (int i = 0; i < sessions.size(); i++) {
            List<ProbeSpec.Step> steps = sessions.get(i).steps();
            if (next[i] >= steps.size()) continue;
            any = true;
            prefix.add(steps.get(next[i]++));
            extend(sessions, next, prefix, out);
            next[i]--;
            prefix.remove(prefix.size() - 1);
        }
        if (!any) out.add(List.copyOf(prefix));
    }

    /** The multinomial coefficient (n1 + n2 + ...)! / (n1! n2! ...), saturating. */
    static long count(List<ProbeSpec.Session> sessions) {
        long total = 1;
        int placed = 0;
        for (ProbeSpec.Session s : sessions) {
            for (int k = 1; k <= s.steps().size(); k++) {
                placed++;
                total = total * placed / k;
                if (total > Long.MAX_VALUE / 64) return Long.MAX_VALUE;
            }
        }
        return total;
    }
}

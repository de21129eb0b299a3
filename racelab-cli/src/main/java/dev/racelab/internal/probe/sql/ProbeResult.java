package dev.racelab.internal.probe.sql;

import java.util.List;

/** A probe's verdict: every permutation's result and the one-line summary. */
public record ProbeResult(String spec, String server, String workspace, List<String> levels, List<PermutationResult> permutations,
                          String violation, String expect) {
    public ProbeResult {
        levels = List.copyOf(levels);
        permutations = List.copyOf(permutations);
    }

    public boolean passed() {
        return permutations.stream().allMatch(PermutationResult::passed);
    }

    public List<PermutationResult> failures() {
        return permutations.stream().filter(p -> !p.passed()).toList();
    }

    /** "4 of 6 interleavings lose an update, for example: s1.read s2.read s1.write s2.write". */
    public String summary() {
        int n = permutations.size();
        List<PermutationResult> failed = failures();
        String noun = n == 1 ? "interleaving" : "interleavings";
        if (failed.isEmpty()) return "none of the " + n + " " + noun + " " + violation + " (every one passes: " + expect + ")";
        return failed.size() + " of " + n + " " + noun + " " + violation + ", for example: " + failed.get(0).scheduleText();
    }
}

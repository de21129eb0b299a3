package dev.racelab.internal.remote;

import dev.racelab.core.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts {@code racelab run --hosts} spreads its workers over, and how ssh reaches them: the
 * key ({@code --ssh-key}, or the lab's), and with a lab the file of its hosts' keys, checked
 * strictly. Without a lab, ssh's own known_hosts and configuration decide, as for any ssh the user runs.
 *
 * @param counts how many workers each host runs, when the user gave them ({@code h1=4,h2=2}); empty for round robin
 */
public record SshHosts(List<SshTarget> targets, List<Integer> counts, Path key, Path knownHosts) {
    public SshHosts {
        targets = List.copyOf(targets);
        counts = List.copyOf(counts);
        if (targets.isEmpty()) throw new IllegalArgumentException("no hosts");
        if (!counts.isEmpty() && counts.size() != targets.size()) throw new IllegalArgumentException("a count per host");
    }

    /**
     * {@code user@host[:port][=N],...}; with a lab, a host may be named by its lab name ({@code h1}),
     * which means {@code root@} its address.
     */
    public static SshHosts parse(List<String> items, Map<String, String> labHosts, Path key, Path knownHosts) {
        List<SshTarget> targets = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String raw : items) {
            String item = raw.trim();
            Integer count = null;
            int eq = item.lastIndexOf('=');
            if (eq >= 0) {
                try {
                    count = Integer.parseInt(item.substring(eq + 1));
                } catch (NumberFormatException e) {
                    count = -1;
                }
                if (count < 1) throw new UsageException("--hosts: '" + raw + "': the count after = is a whole number of workers, at least 1");
                item = item.substring(0, eq);
            }
            String address = labHosts.get(item);
            SshTarget target = SshTarget.parse(address != null ? "root@" + address : item, System.getProperty("user.name", "root"));
            if (seen.put(target.toString(), 1) != null) throw new UsageException("--hosts names " + target + " twice");
            targets.add(target);
            if (count != null) counts.add(count);
        }
        if (!counts.isEmpty() && counts.size() != targets.size()) {
            throw new UsageException("--hosts: give a worker count to every host (h1=4,h2=2) or to none (round robin)");
        }
        return new SshHosts(targets, counts, key, knownHosts);
    }

    /** The host of each instance: the counts given, in order, or round robin. */
    public List<SshTarget> assign(int instances) {
        List<SshTarget> placed = new ArrayList<>();
        if (counts.isEmpty()) {
            for (int i = 0; i < instances; i++) placed.add(targets.get(i % targets.size()));
            return placed;
        }
        int total = counts.stream().mapToInt(Integer::intValue).sum();
        if (total != instances) {
            throw new UsageException("--hosts places " + total + " workers but --instances is " + instances + "; make them agree");
        }
        for (int h = 0; h < targets.size(); h++) for (int c = 0; c < counts.get(h); c++) placed.add(targets.get(h));
        return placed;
    }

    /** The sum of the counts given, or empty for round robin: what --instances defaults to. */
    public java.util.OptionalInt placedWorkers() {
        return counts.isEmpty() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(counts.stream().mapToInt(Integer::intValue).sum());
    }
}

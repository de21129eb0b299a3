package dev.racelab.internal.report;

import dev.racelab.internal.vocab.FaultKind;
import java.util.Arrays;
import java.util.List;

/**
 * A fault's facts read from its target, for a result written before the facts were fields of their
 * own ({@link RunResult.Fault}). The targets of those versions had one shape per kind, which is
 * what this reads; a result written since carries the facts and is never read this way.
 */
record FaultFacts(String node, List<String> clientHosts, List<String> others, String server, String holder, String held) {
    private static final FaultFacts NONE = new FaultFacts(null, List.of(), List.of(), null, null, null);

    /** Whether a fault of this kind lacks the facts its kind records. */
    static boolean missing(FaultKind kind, String node, String holder) {
        return switch (kind) {
            case PAUSE_HOLDER, PARTITION_HOLDER -> holder == null;
            case PARTITION_PRIMARY, KILL_PRIMARY -> node == null;
            default -> false;
        };
    }

    static FaultFacts fromTarget(FaultKind kind, String target) {
        return switch (kind) {
            case PAUSE_HOLDER -> pausedHolder(target);
            case PARTITION_HOLDER -> cutHolder(target);
            case PARTITION_PRIMARY -> partitionedPrimary(target);
            case KILL_PRIMARY -> killedPrimary(target);
            default -> NONE;
        };
    }

    /** "worker 1 (pid 123), holding the lease on K (TTL 2 s)", or "..., holding no lease". */
    private static FaultFacts pausedHolder(String target) {
        int holding = target.indexOf(", holding ");
        String who = holding < 0 ? target : target.substring(0, holding);
        String what = holding < 0 ? "a lease" : target.substring(holding + ", holding ".length());
        return new FaultFacts(null, List.of(), List.of(), null, who, what.equals("no lease") ? null : what);
    }

    /** "client host n1 (and its lease store node) with worker 0 (pid 123) holding the lease on K | lease store n2, n3; ...". */
    private static FaultFacts cutHolder(String target) {
        String[] sides = target.split(" \\| ", 2);
        String[] hostAndHolder = sides[0].split(" with ", 2);
        String host = hostAndHolder[0].replace(" (and its lease store node)", "");
        String node = host.substring(host.lastIndexOf(' ') + 1);
        String holder = hostAndHolder.length > 1 ? hostAndHolder[1] : "a worker holding a lease";
        int holding = holder.indexOf(" holding ");
        String who = holding < 0 ? holder : holder.substring(0, holding);
        String what = holding < 0 ? "a lease" : holder.substring(holding + " holding ".length());
        List<String> others = sides.length > 1 ? nodes(sides[1].split(";", 2)[0].replace("lease store ", "")) : List.of();
        return new FaultFacts(node, List.of(), others, null, who, what);
    }

    /** "primary n1 with client host n1 | n2, n3" (the client hosts and the other side each optional). */
    private static FaultFacts partitionedPrimary(String target) {
        String[] sides = target.split(" \\| ", 2);
        int with = sides[0].indexOf(" with ");
        String primary = with < 0 ? sides[0] : sides[0].substring(0, with);
        List<String> clientHosts = with < 0 ? List.of() : nodes(sides[0].substring(with + " with ".length()).replaceFirst("^client hosts? ", ""));
        List<String> others = sides.length > 1 ? nodes(sides[1]) : List.of();
        return new FaultFacts(primary.substring(primary.lastIndexOf(' ') + 1), clientHosts, others, null, null, null);
    }

    /** "primary n1: postgres (pid 123, then 9 of its children still running)". */
    private static FaultFacts killedPrimary(String target) {
        int colon = target.indexOf(": ");
        String primary = colon < 0 ? target : target.substring(0, colon);
        String server = colon < 0 ? "server" : target.substring(colon + 2).split(" ")[0];
        return new FaultFacts(primary.startsWith("primary ") ? primary.substring("primary ".length()) : primary, List.of(), List.of(), server,
                null, null);
    }

    private static List<String> nodes(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
    }
}

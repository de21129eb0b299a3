package dev.racelab.internal.probe.http;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One plain sentence per probe, in {@code racelab load}'s words: the verdict and what the answers and the value say. */
final class ProbeExplainer {
    /** The scale the server writes its values in: every amount in the sentence is shown with it, so 1000 reads 1000.00. */
    private final int scale;

    private ProbeExplainer(int scale) {
        this.scale = scale;
    }

    static String sentence(ProbeSpec spec, Tally tally, ProbeCheck check) {
        int scale = Math.max(Math.max(check.start().scale(), check.end().scale()), 0);
        return new ProbeExplainer(scale).explain(spec, tally, check);
    }

    private String explain(ProbeSpec spec, Tally tally, ProbeCheck check) {
        String what = spec.value() == null ? "the value" : spec.value().toString();
        long maybe = tally.unknown() + tally.serverErrors();
        String acked = spec.expect() == Expect.ONCE ? things(check.keys(), "distinct acknowledged key")
                : things(tally.acknowledged(), "acknowledged request");
        List<String> fails = new ArrayList<>();
        if (check.oversold().signum() > 0) {
            BigDecimal taken = check.acknowledged().negate();
            String s = "oversold by " + d(check.oversold()) + ": " + acked + " took " + d(taken) + ", but " + what
                    + " had " + d(check.available().max(BigDecimal.ZERO)) + " above the floor of " + d(check.floor());
            if (check.end().compareTo(check.floor()) < 0) s += "; it ended at " + d(check.end()) + ", below the floor";
            fails.add(s);
        }
        if (check.lost().signum() > 0) {
            BigDecimal effect = check.acknowledged().abs();
            fails.add(check.adds()
                    ? d(check.lost()) + " of the " + d(effect) + " that " + acked + " added to " + what + " is missing: lost updates"
                    : d(check.lost()) + " of the " + d(effect) + " that " + acked + " took from " + what
                            + " was never taken: lost updates");
        }
        if (check.phantom().signum() > 0) {
            String sources = acked + (maybe > 0 ? " and the " + count(maybe) + " with no answer or a 5xx" : "");
            boolean grew = check.adds();
            String s = what + (grew ? " grew by " : " fell by ") + d(check.change().abs()) + ", " + d(check.phantom())
                    + " more than " + sources + " could " + (grew ? "add" : "take");
            s += spec.expect() == Expect.ONCE ? ": an effect applied more than once for one " + spec.keyFrom()
                    : ": a change that no request explains";
            if (tally.rejected() + tally.clientErrors() > 0 && spec.expect() != Expect.ONCE) s += ". Did a refused request land anyway?";
            fails.add(s);
        }
        if (!fails.isEmpty()) return "FAIL: " + String.join("; ", fails) + ".";

        List<String> parts = new ArrayList<>();
        parts.add(switch (spec.expect()) {
            case SUM -> tally.acknowledged() > 0 ? "every acknowledged request is in " + what
                    : "no request was acknowledged, and " + what + " holds no change that should not be there";
            case FLOOR -> what + " ended at " + d(check.end()) + ", not below the floor of " + d(check.floor()) + ", and "
                    + acked + " took " + d(check.acknowledged().negate()) + " of the " + d(check.available()) + " there was";
            case ONCE -> (check.keys() > 0 ? "each of the " + acked + " is in " + what + " once"
                    : "no key was acknowledged, and " + what + " holds no change that should not be there")
                    + " (" + things(tally.keys().size(), "key") + " across " + things(spec.requests(), "request") + ")";
        });
        long statusRejected = tally.rejected() - tally.notOkWhen();
        if (statusRejected > 0) {
            parts.add(things(statusRejected, "request") + (statusRejected == 1 ? " was" : " were") + " rejected with "
                    + rejectedStatuses(tally) + " and the client was told, which is not a loss");
        }
        if (tally.notOkWhen() > 0) {
            parts.add(things(tally.notOkWhen(), "answer") + " with an --ok status did not pass --ok-when " + spec.okWhen()
                    + ", so the client was told no");
        }
        long told = tally.failed() - tally.serverErrors();
        if (told > 0) {
            parts.add(things(told, "request") + " failed with another status (" + failedStatuses(tally, false)
                    + ") and the client was told");
        }
        if (maybe > 0) parts.add(things(maybe, "request") + " got no answer or a 5xx, so " + (maybe == 1 ? "it" : "they")
                + " may or may not have landed: " + landed(spec, check));
        return "PASS: " + String.join("; ", parts) + ".";
    }

    /** How much of the uncertain requests the value shows. */
    private String landed(ProbeSpec spec, ProbeCheck check) {
        BigDecimal extra = check.end().subtract(check.expected());
        if (extra.signum() == 0) return "none did";
        if (spec.delta() != null && extra.remainder(spec.delta()).signum() == 0) {
            return what(spec) + " shows " + count(extra.divideToIntegralValue(spec.delta()).longValueExact()) + " did";
        }
        return what(spec) + " holds " + d(extra.abs()) + (extra.signum() > 0 ? " more" : " less") + " than the acknowledged requests";
    }

    private static String what(ProbeSpec spec) {
        return spec.value() == null ? "the value" : spec.value().toString();
    }

    private static String rejectedStatuses(Tally tally) {
        List<String> seen = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : tally.statuses().entrySet()) {
            if (tally.classes().isRejected(e.getKey())) seen.add(Integer.toString(e.getKey()));
        }
        return seen.size() == 1 ? seen.getFirst() : String.join(" or ", seen);
    }

    static String failedStatuses(Tally tally, boolean serverErrorsToo) {
        List<String> parts = new ArrayList<>();
        tally.statuses().forEach((status, n) -> {
            StatusClasses.Kind k = tally.classes().kind(status);
            if (k == StatusClasses.Kind.FAILED || (serverErrorsToo && k == StatusClasses.Kind.SERVER_ERROR)) {
                parts.add(status + ": " + count(n));
            }
        });
        return String.join(", ", parts);
    }

    private String d(BigDecimal v) {
        return Decimals.format(v.scale() < scale ? v.setScale(scale) : v);
    }

    static String things(long n, String singular) {
        return count(n) + " " + singular + (n == 1 ? "" : "s");
    }

    static String count(long n) {
        return ProbeTable.count(n);
    }
}

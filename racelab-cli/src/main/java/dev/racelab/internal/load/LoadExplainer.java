package dev.racelab.internal.load;

import dev.racelab.internal.probe.http.Tally;
import dev.racelab.core.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One plain sentence per load test: the verdict and what the answers and the balance say. */
final class LoadExplainer {
    private LoadExplainer() {
    }

    static String sentence(LoadSpec spec, Tally tally, DepositCheck check) {
        String oneKey = spec.sharesOneIdempotencyKey()
                ? " (all " + count(spec.requests()) + " requests carried one Idempotency-Key, so they are one deposit)" : "";
        if (check.lost() > 0) {
            return "FAIL: " + Money.format(check.lost()) + " of the " + Money.format(check.acknowledgedAmount()) + " that "
                    + things(check.acknowledged(), "acknowledged deposit") + " added is missing: lost updates"
                    + oneKey + ".";
        }
        if (check.phantom() > 0) {
            String sources = things(check.acknowledged(), "acknowledged deposit")
                    + (check.uncertain() > 0 ? " and the " + count(check.uncertain()) + " with no answer or a 5xx" : "");
            String refused = tally.rejected() + tally.clientErrors() > 0 ? " Did a refused request land anyway?" : "";
            return "FAIL: the balance grew by " + Money.format(check.change()) + ", " + Money.format(check.phantom())
                    + " more than " + sources + " could add: money that no request explains" + oneKey + "." + refused;
        }
        List<String> parts = new ArrayList<>();
        parts.add(check.acknowledged() > 0 ? "every acknowledged deposit is in the balance"
                : "no deposit was acknowledged, and the balance holds none that should not be there");
        if (tally.rejected() > 0) {
            parts.add(things(tally.rejected(), "request") + (tally.rejected() == 1 ? " was" : " were")
                    + " rejected with 409 and the client was told, which is not a loss");
        }
        long told = tally.failed() - tally.serverErrors(); // 4xx other than 409, and any 1xx/3xx
        if (told > 0) {
            parts.add(things(told, "request") + " failed with another status ("
                    + LoadTable.statusCounts(tally.statuses(), s -> s / 100 != 5) + ") and the client was told");
        }
        long maybe = tally.unknown() + tally.serverErrors();
        if (maybe > 0) parts.add(things(maybe, "request") + " got no answer or a 5xx, so " + (maybe == 1 ? "it" : "they")
                + " may or may not have landed: " + landed(check));
        return "PASS: " + String.join("; ", parts) + oneKey + ".";
    }

    /** How much of the uncertain deposits the balance shows. */
    private static String landed(DepositCheck check) {
        long extra = check.change() - check.acknowledgedAmount();
        if (extra == 0) return "none did";
        if (extra % check.amount() == 0) return "the balance shows " + count(extra / check.amount()) + " did";
        return "the balance holds " + Money.format(extra) + " more than the acknowledged deposits";
    }

    static String things(long n, String singular) {
        return count(n) + " " + singular + (n == 1 ? "" : "s");
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}

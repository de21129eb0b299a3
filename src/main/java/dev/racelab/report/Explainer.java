package dev.racelab.report;

import dev.racelab.strategy.StrategyInfo;
import java.util.Locale;

/** One plain sentence per run: what happened and why, and what the fix cost. */
public final class Explainer {
    private Explainer() {
    }

    /**
     * @param baseline the atomic strategy's result on the same store, to price the others
     *                 against; null when there is none
     */
    public static String sentence(RunResult r, StrategyInfo info, RunResult baseline) {
        String name = r.strategy() + ": ";
        if (!r.passed()) {
            if (r.lostUpdates() > 0) {
                return name + "FAIL, " + ResultTable.count(r.lostUpdates()) + " of " + ResultTable.count(r.expected())
                        + " acknowledged increments are missing. It " + info.how()
                        + "; two clients read the same value, both write value+1, and one increment vanishes.";
            }
            return name + "FAIL, " + r.explanation() + ".";
        }
        StringBuilder s = new StringBuilder(name).append("PASS. It ").append(info.how()).append('.');
        if (!info.safe()) {
            s.append(" No update was lost this time, but only by luck: the race is still there.");
            return s.toString();
        }
        long failed = r.failedTotal();
        if (failed > 0) {
            s.append(" No update was lost, but ").append(ResultTable.count(failed))
                    .append(" increments were refused (").append(ResultTable.failed(r).replaceFirst("^[^(]*\\(", "").replace(")", ""))
                    .append(") and the clients were told; retrying them is the application's job.");
        }
        if (r.retries() > 0) {
            s.append(String.format(Locale.ROOT, " It needed %s retries (%.2f per increment).",
                    ResultTable.count(r.retries()), r.retries() / (double) Math.max(1, r.invoked())));
        }
        s.append(" Cost: ").append(ResultTable.count(Math.round(r.opsPerSec()))).append(" ops/s, p99 ")
                .append(ResultTable.ms(r.latencyMs().p99())).append(" ms");
        if (baseline != null && baseline != r && baseline.opsPerSec() > 0 && r.opsPerSec() > 0) {
            double ratio = baseline.opsPerSec() / r.opsPerSec();
            s.append(String.format(Locale.ROOT, ratio >= 1.05 ? ", %.1fx slower than atomic" : ", as fast as atomic", ratio));
        }
        return s.append('.').toString();
    }
}

package dev.racelab.internal.advise;

import dev.racelab.internal.advise.Advice.Avoid;
import dev.racelab.internal.advise.Advice.MeasuredAt;
import dev.racelab.internal.advise.Advice.Pick;
import dev.racelab.internal.advise.Advice.RunRef;
import dev.racelab.core.UsageException;
import dev.racelab.internal.report.ReportInputs.Run;
import dev.racelab.internal.report.RunResult;
import dev.racelab.store.Capability;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Which strategy for a workload, from measured runs, by rules that can be stated (docs/REPORTS.md,
 * "Which strategy?"):
 * <ol>
 * <li>Only the runs on the workload's store count. The figures come from one point: the
 *     measured thread count and row count nearest to the workload's (by ratio; a tie goes to
 *     the larger). When the workload lies outside the measured range, the answer says it
 *     extrapolates.</li>
 * <li>A strategy that is not safe is avoided, with what it lost.</li>
 * <li>A safe strategy with any FAIL run on the store is avoided: a PASS must be trusted.</li>
 * <li>Operations across two stores rule out every one-store strategy; several cells per
 *     operation rule out the one-cell strategies and those the store cannot run on several
 *     cells; clients that cannot retry rule out the strategies that may give up, and any
 *     strategy that refused operations at the point.</li>
 * <li>The rest qualify, ranked by median goodput (acknowledged operations per second) at the
 *     point; the first is the answer, and a runner-up within {@value #NOISE_PERCENT}% is named
 *     as within noise.</li>
 * </ol>
 */
public final class Advisor {
    static final int NOISE_PERCENT = 10;

    private Advisor() {
    }

    /**
     * @param storeCapabilities what the workload's store can do, for the several-cells rule
     */
    public static Advice advise(Workload w, String source, List<Run> runs, Set<Capability> storeCapabilities) {
        List<Run> onStore = runs.stream().filter(r -> w.store().equals(r.result().store())).toList();
        if (onStore.isEmpty()) {
            String others = runs.stream().map(r -> r.result().store()).distinct().sorted().collect(Collectors.joining(", "));
            throw new UsageException(source + " holds no run on store " + w.store() + (others.isEmpty() ? "" : " (it has runs on: " + others + ")"));
        }
        List<Integer> threads = distinct(onStore, r -> r.threads());
        List<Integer> rows = distinct(onStore, r -> r.rows());
        int t = nearest(threads, w.threads());
        int n = nearest(rows, w.rows());
        boolean outside = outside(threads, w.threads()) || outside(rows, w.rows());
        MeasuredAt at = new MeasuredAt(w.store(), t, n, t == w.threads() && n == w.rows(), outside, threads, rows);
        List<String> notes = new ArrayList<>();
        if (!at.exact()) notes.add(pointNote(w, at));

        Map<String, List<Run>> byStrategy = new LinkedHashMap<>();
        for (String name : Strategies.names()) {
            List<Run> of = onStore.stream().filter(r -> r.result().strategy().equals(name)).toList();
            if (!of.isEmpty()) byStrategy.put(name, of);
        }
        onStore.stream().map(r -> r.result().strategy()).filter(s -> !Strategies.names().contains(s)).distinct()
                .forEach(s -> notes.add("runs of " + s + " passed over: racelab has no strategy of that name"));
        if (w.acrossStores()) {
            for (StrategyInfo info : Strategies.all()) if (info.needsLogStore()) byStrategy.putIfAbsent(info.name(), List.of());
        }

        List<Pick> qualified = new ArrayList<>();
        List<Avoid> avoid = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : byStrategy.entrySet()) {
            StrategyInfo info = Strategies.get(e.getKey());
            List<Run> all = e.getValue();
            List<Run> atPoint = all.stream().filter(r -> r.result().threads() == t && r.result().rows() == n).toList();
            String why = ruledOut(w, info, all, atPoint, storeCapabilities);
            if (why != null) {
                List<Run> shown = !info.safe() || atPoint.isEmpty() ? (atPoint.isEmpty() ? failing(all) : atPoint) : atPoint;
                if (info.safe() && !failing(all).isEmpty()) shown = failing(all);
                avoid.add(new Avoid(info.name(), why, refs(shown)));
            } else if (atPoint.isEmpty()) {
                notes.add(info.name() + " was measured on " + w.store() + ", but not at threads=" + t + " rows=" + n + ": not ranked");
            } else {
                qualified.add(pick(info, atPoint, ""));
            }
        }
        qualified.sort(Comparator.comparingDouble(Pick::medianGoodputPerSec).reversed());
        if (w.acrossStores() && qualified.isEmpty()) {
            String twoStore = Strategies.all().stream().filter(s -> s.needsLogStore() && s.safe()).map(StrategyInfo::name)
                    .collect(Collectors.joining(", "));
            notes.add("no safe two-store strategy was measured on " + w.store() + ": an operation across two stores needs " + twoStore
                    + " (a reservation in one atomic write, the order logged idempotently, a sweep that finishes what crashed clients"
                    + " left); measure it with: racelab run --scenario order --strategy reserve-confirm --store redis --log-store postgres");
        }
        Pick best = null;
        List<Pick> rest = List.of();
        if (!qualified.isEmpty()) {
            Pick first = qualified.get(0);
            best = pick(Strategies.get(first.strategy()), runsOf(byStrategy, first.strategy(), t, n), reason(w, at, first, qualified));
            rest = qualified.subList(1, qualified.size()).stream()
                    .map(p -> pick(Strategies.get(p.strategy()), runsOf(byStrategy, p.strategy(), t, n),
                            String.format(Locale.ROOT, "%s ok/s, %.0f%% of %s's", count(p.medianGoodputPerSec()),
                                    first.medianGoodputPerSec() > 0 ? 100 * p.medianGoodputPerSec() / first.medianGoodputPerSec() : 0,
                                    first.strategy())))
                    .toList();
        } else if (!w.acrossStores()) {
            notes.add("no measured strategy qualifies for this workload on " + w.store() + "; see what to avoid and why");
        }
        return new Advice(w, source, at, best, rest, avoid, notes);
    }

    /** The first rule that rules the strategy out for this workload, in words; null when none does. */
    private static String ruledOut(Workload w, StrategyInfo info, List<Run> all, List<Run> atPoint, Set<Capability> caps) {
        if (!info.safe()) {
            List<Run> shown = atPoint.isEmpty() ? all : atPoint;
            long lost = shown.stream().mapToLong(r -> r.result().lostUpdates() + r.result().oversold()).sum();
            long failed = shown.stream().filter(r -> !r.result().passed()).count();
            String measured = shown.isEmpty() ? "" : String.format(Locale.ROOT, "; measured: %d of %d runs FAIL, %s updates lost or oversold",
                    failed, shown.size(), count(lost));
            return "not safe: it " + info.how() + measured;
        }
        List<Run> failing = failing(all);
        if (!failing.isEmpty()) {
            RunResult r = failing.get(0).result();
            return String.format(Locale.ROOT, "FAILED %d of %d runs on %s (%s: %s lost, %s oversold): a safe strategy that failed here"
                            + " cannot be trusted on this store", failing.size(), all.size(), w.store(), failing.get(0).source(),
                    count(r.lostUpdates()), count(r.oversold()));
        }
        if (w.acrossStores() && !info.needsLogStore()) {
            return "changes one store: an operation that spans two stores needs a two-store design, which finishes or undoes the"
                    + " second write when a client dies between the two";
        }
        if (w.cellsPerOp() > 1 && info.oneCellOnly()) {
            return "changes one cell per operation, and yours change " + w.cellsPerOp();
        }
        if (w.cellsPerOp() > 1 && !info.missingFrom(caps, true).isEmpty()) {
            return "on " + w.store() + " it cannot change several cells in one operation (it needs " + info.missingFrom(caps, true) + ")";
        }
        if (!w.clientRetries() && !info.retriesUntilDone()) {
            return "gives up after a bounded number of attempts and reports the refusal; your clients cannot retry, so each refusal"
                    + " is a change the user loses";
        }
        long refused = atPoint.stream().mapToLong(r -> r.result().failedTotal()).sum();
        if (!w.clientRetries() && refused > 0) {
            long invoked = atPoint.stream().mapToLong(r -> r.result().invoked()).sum();
            return "refused " + count(refused) + " of " + count(invoked) + " operations at the point, and your clients cannot retry";
        }
        return null;
    }

    private static String reason(Workload w, MeasuredAt at, Pick first, List<Pick> qualified) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "the highest median goodput of the %d qualifying strategies at threads=%d rows=%d on %s: %s ok/s over %d run%s,"
                        + " every run PASS; p99 %.2f ms, %.3f retries per op",
                qualified.size(), at.threads(), at.rows(), at.store(), count(first.medianGoodputPerSec()), first.runs().size(),
                first.runs().size() == 1 ? "" : "s", first.medianP99Ms(), first.retriesPerOp()));
        if (qualified.size() > 1) {
            Pick second = qualified.get(1);
            double ratio = second.medianGoodputPerSec() > 0 ? first.medianGoodputPerSec() / second.medianGoodputPerSec() : Double.POSITIVE_INFINITY;
            if (ratio < 1 + NOISE_PERCENT / 100.0) {
                s.append(String.format(Locale.ROOT, "; %s is within %d%% (%s ok/s), which is within noise: either will do",
                        second.strategy(), NOISE_PERCENT, count(second.medianGoodputPerSec())));
            } else {
                s.append(String.format(Locale.ROOT, "; %.1fx the next, %s (%s ok/s)", ratio, second.strategy(),
                        count(second.medianGoodputPerSec())));
            }
        }
        if (at.extrapolated()) s.append("; measured at the nearest point, outside what you asked: this extrapolates");
        s.append(". It ").append(Strategies.get(first.strategy()).how());
        return s.toString();
    }

    private static String pointNote(Workload w, MeasuredAt at) {
        String word = at.extrapolated() ? "outside what was measured, so the answer extrapolates: the figures are"
                : "not measured exactly, so the figures are";
        return String.format(Locale.ROOT, "you asked for threads=%d rows=%d; %s on %s has threads %s and rows %s: %s at threads=%d rows=%d,"
                        + " the nearest measured point%s", w.threads(), w.rows(), "the data", w.store(), join(at.measuredThreads()),
                join(at.measuredRows()), word, at.threads(), at.rows(),
                at.extrapolated() ? "; measure the workload itself with: racelab bench --store " + w.store() + " --threads " + w.threads()
                        + " --rows " + w.rows() + " --out DIR" : "");
    }

    private static Pick pick(StrategyInfo info, List<Run> atPoint, String reason) {
        List<RunResult> rs = atPoint.stream().map(Run::result).toList();
        return new Pick(info.name(), reason, median(rs, RunResult::goodputPerSec), median(rs, RunResult::opsPerSec),
                median(rs, r -> r.latencyMs().p99()), median(rs, RunResult::retriesPerOp), refs(atPoint));
    }

    private static List<Run> runsOf(Map<String, List<Run>> byStrategy, String name, int t, int n) {
        return byStrategy.get(name).stream().filter(r -> r.result().threads() == t && r.result().rows() == n).toList();
    }

    private static List<Run> failing(List<Run> runs) {
        return runs.stream().filter(r -> !r.result().passed()).toList();
    }

    private static List<RunRef> refs(List<Run> runs) {
        return runs.stream().map(r -> {
            RunResult x = r.result();
            return new RunRef(r.source(), x.verdict(), x.threads(), x.rows(), x.goodputPerSec(), x.opsPerSec(), x.latencyMs().p99(),
                    x.lostUpdates(), x.oversold(), x.failedTotal());
        }).toList();
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) return 0;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The measured value nearest to {@code asked} by ratio (16 is as far from 8 as from 32); a tie goes to the larger. */
    static int nearest(List<Integer> measured, int asked) {
        int best = measured.get(0);
        for (int m : measured) {
            double d = Math.abs(Math.log(m) - Math.log(asked));
            double b = Math.abs(Math.log(best) - Math.log(asked));
            if (d < b - 1e-9 || (Math.abs(d - b) <= 1e-9 && m > best)) best = m;
        }
        return best;
    }

    private static boolean outside(List<Integer> measured, int asked) {
        return asked > measured.get(measured.size() - 1) || asked < measured.get(0);
    }

    private static List<Integer> distinct(List<Run> runs, java.util.function.ToIntFunction<RunResult> f) {
        return List.copyOf(runs.stream().map(r -> f.applyAsInt(r.result())).collect(Collectors.toCollection(TreeSet::new)));
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static String count(double v) {
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }
}

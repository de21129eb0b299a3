package dev.racelab.internal.report;

import dev.racelab.internal.report.ReportInputs.Matrix;
import dev.racelab.internal.report.ReportInputs.Run;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyInfo;
import dev.racelab.internal.vocab.StrategyId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * One self-contained HTML file: the verdict table, charts drawn as SVG here, the crossover
 * points, and the fault timelines and isolation matrices the inputs hold. It loads nothing:
 * the one style block and the one script are inline, and a Content-Security-Policy allows
 * exactly those two by their hashes and nothing else (no request, no image, no font, no
 * form), so even a file that was tampered with cannot fetch.
 */
public final class HtmlReport {
    /** An optimistic or other strategy "keeps up" with atomic while its goodput is at least this share of atomic's. */
    public static final double KEEPS_UP = 0.5;
    /** Runs up to this many get their own latency histogram and throughput over time. */
    public static final int DETAIL_LIMIT = 12;

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;max-width:1300px}
            h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
            .charts{display:flex;flex-wrap:wrap;gap:16px}.chart{background:#fff;border:1px solid #e4e4e4}
            .chart-title{font-size:13px;font-weight:600}.tick{font-size:10px;fill:#555}.legend{font-size:11px}
            .axis-label{font-size:11px;fill:#333}.mark{font-size:10px;fill:#6a1b9a}.fail-label{fill:#b00020;font-weight:700}
            table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 6px}
            th{background:#f4f4f4;cursor:pointer;user-select:none}td.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.fail td{background:#fde0e0}tr.fail td.verdict{color:#b00020;font-weight:700}td.verdict.pass{color:#1b5e20;font-weight:700}
            .expected{color:#555;font-weight:400}.note{color:#555;font-size:13px}ul.crossovers li{margin:2px 0}
            td.occurs{background:#fde0e0}td.abort{background:#e3f2fd}td.blocks{background:#fff8e1}td.prevented{background:#e8f5e9}
            """;
    /** Click a header to sort the verdict table by it; a second click reverses. */
    private static final String SCRIPT = """
            document.querySelectorAll('table.sortable th').forEach(function(th,col){th.addEventListener('click',function(){
            var body=th.closest('table').tBodies[0],rows=Array.from(body.rows),dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';
            rows.sort(function(a,b){var x=a.cells[col].dataset.v,y=b.cells[col].dataset.v;if(x!==undefined&&y!==undefined)return (parseFloat(x)-parseFloat(y))*dir;
            return a.cells[col].textContent.localeCompare(b.cells[col].textContent)*dir;});rows.forEach(function(r){body.appendChild(r);});});});
            """;

    private HtmlReport() {
    }

    /** The Content-Security-Policy the report carries: nothing but its own inline style and script, by hash. */
    public static String contentSecurityPolicy() {
        return "default-src 'none'; style-src '" + sha256(STYLE) + "'; script-src '" + sha256(SCRIPT) + "'; img-src 'none';"
                + " font-src 'none'; connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";
    }

    /** The report of results already in memory (run --report, demo --report). */
    public static String render(List<RunResult> results, String source, String title) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) runs.add(new Run(results.size() == 1 ? source : source + "#" + (i + 1), results.get(i)));
        return render(new ReportInputs(runs, List.of(), List.of()), title);
    }

    public static String render(ReportInputs inputs, String title) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(contentSecurityPolicy()).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<title>").append(Svg.esc(title)).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        h.append("<h1>").append(Svg.esc(title)).append("</h1>\n");
        List<Run> runs = inputs.runs();
        long fails = runs.stream().filter(r -> !r.result().passed()).count();
        long unsafeFails = runs.stream().filter(r -> !r.result().passed() && !safe(r.result().strategy())).count();
        h.append("<p class=\"summary\">").append(runs.size()).append(" run(s), ").append(runs.size() - fails).append(" PASS, ").append(fails)
                .append(" FAIL").append(unsafeFails > 0 ? " (" + unsafeFails + " of a strategy that is not safe, as expected)" : "")
                .append(inputs.matrices().isEmpty() ? "" : "; " + inputs.matrices().size() + " isolation matrix(es)").append(".</p>\n");
        for (String note : inputs.notes()) h.append("<p class=\"note\">").append(Svg.esc(note)).append("</p>\n");
        if (!runs.isEmpty()) {
            List<Group> groups = groups(runs);
            List<String> crossovers = new ArrayList<>();
            StringBuilder charts = new StringBuilder();
            int n = 0;
            for (Group g : groups) charts.append(section(g, n++, crossovers));
            h.append("<h2>Crossover points</h2>\n");
            if (crossovers.isEmpty()) {
                h.append("<p class=\"note\">None in these runs: optimistic never fell below pessimistic, and no point left atomic alone"
                        + " (at least ").append(pct(KEEPS_UP)).append(" of atomic's goodput), or the runs lack the strategies to compare.</p>\n");
            } else {
                h.append("<ul class=\"crossovers\">");
                for (String c : crossovers) h.append("<li>").append(Svg.esc(c)).append("</li>");
                h.append("</ul>\n");
            }
            h.append(charts);
            h.append("<h2>Lost updates and oversells per run</h2>\n<div class=\"charts\">").append(lossChart(runs)).append("</div>\n");
            faults(h, runs);
            if (runs.size() <= DETAIL_LIMIT) details(h, runs);
            verdictTable(h, runs);
        }
        for (Matrix m : inputs.matrices()) matrix(h, m);
        h.append("<p class=\"note\">Made by racelab report. Goodput is acknowledged operations per second; a line's point is the median"
                + " of the point's runs. Every figure in the table is the run's JSON as written.</p>\n");
        h.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    /** The runs of one store, scenario, row count and instance count: one set of charts, threads along x. */
    private record Group(String store, String scenario, int rows, int instances, List<Run> runs) {
        String title() {
            return store + ", " + scenario + (rows > 1 || scenario.equals("counter") ? ", " + rows + " row" + (rows == 1 ? " (hot row)" : "s") : "")
                    + ", " + instances + " instance" + (instances == 1 ? "" : "s");
        }

        List<Integer> threads() {
            return new ArrayList<>(new TreeSet<>(runs.stream().map(r -> r.result().threads()).toList()));
        }

        List<String> strategies() {
            return new ArrayList<>(new LinkedHashSet<>(runs.stream().map(r -> r.result().strategy()).toList()));
        }

        /** The median of {@code f} over the runs of a strategy at a thread count; NaN where there are none. */
        double median(String strategy, int threads, ToDoubleFunction<RunResult> f) {
            double[] v = runs.stream().map(Run::result).filter(r -> r.strategy().equals(strategy) && r.threads() == threads)
                    .mapToDouble(f).sorted().toArray();
            if (v.length == 0) return Double.NaN;
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
    }

    private static List<Group> groups(List<Run> runs) {
        Map<String, List<Run>> by = new LinkedHashMap<>();
        for (Run r : runs) {
            RunResult x = r.result();
            by.computeIfAbsent(x.store() + "|" + x.scenario() + "|" + x.rows() + "|" + x.instances(), k -> new ArrayList<>()).add(r);
        }
        List<Group> out = new ArrayList<>();
        for (List<Run> g : by.values()) {
            RunResult f = g.get(0).result();
            out.add(new Group(f.store(), f.scenario(), f.rows(), f.instances(), g));
        }
        return out;
    }

    private static String section(Group g, int n, List<String> crossovers) {
        List<Integer> threads = g.threads();
        List<String> strategies = g.strategies();
        StringBuilder s = new StringBuilder("<h2>").append(Svg.esc(g.title())).append("</h2>\n<div class=\"charts\">");
        String id = "g" + n;
        if (threads.size() == 1) {
            int t = threads.get(0);
            s.append(bars(id + "-throughput", "goodput (acknowledged ops/s) at " + t + " thread(s)", "ops/s", g, strategies, t, RunResult::goodputPerSec));
            s.append(bars(id + "-p50", "p50 latency at " + t + " thread(s)", "ms", g, strategies, t, r -> r.latencyMs().p50()));
            s.append(bars(id + "-p99", "p99 latency at " + t + " thread(s)", "ms", g, strategies, t, r -> r.latencyMs().p99()));
            s.append(bars(id + "-retries", "retries per operation at " + t + " thread(s)", "retries/op", g, strategies, t, RunResult::retriesPerOp));
            return s.append("</div>\n").toString();
        }
        List<String> xs = Svg.labels(threads);
        List<Svg.Line> goodput = new ArrayList<>();
        List<Svg.Line> latency = new ArrayList<>();
        List<Svg.Line> retries = new ArrayList<>();
        for (String strategy : strategies) {
            String color = color(strategy);
            goodput.add(new Svg.Line(strategy, color, false, series(g, strategy, threads, RunResult::goodputPerSec)));
            latency.add(new Svg.Line(strategy + " p50", color, false, series(g, strategy, threads, r -> r.latencyMs().p50())));
            latency.add(new Svg.Line(strategy + " p99", color, true, series(g, strategy, threads, r -> r.latencyMs().p99())));
            retries.add(new Svg.Line(strategy, color, false, series(g, strategy, threads, RunResult::retriesPerOp)));
        }
        List<Svg.Mark> marks = crossoverMarks(g, threads, strategies, crossovers);
        s.append(Svg.lineChart(id + "-throughput", "throughput: acknowledged ops/s", "threads per instance", "ops/s", xs, goodput, marks));
        s.append(Svg.lineChart(id + "-latency", "latency: p50 (solid), p99 (dashed)", "threads per instance", "ms", xs, latency, List.of()));
        s.append(Svg.lineChart(id + "-retries", "retries per operation", "threads per instance", "retries/op", xs, retries, List.of()));
        return s.append("</div>\n").toString();
    }

    private static double[] series(Group g, String strategy, List<Integer> threads, ToDoubleFunction<RunResult> f) {
        double[] ys = new double[threads.size()];
        for (int i = 0; i < threads.size(); i++) ys[i] = g.median(strategy, threads.get(i), f);
        return ys;
    }

    private static String bars(String id, String title, String unit, Group g, List<String> strategies, int threads,
                               ToDoubleFunction<RunResult> f) {
        List<Svg.Bar> bars = new ArrayList<>();
        for (String strategy : strategies) {
            double v = g.median(strategy, threads, f);
            boolean failed = g.runs().stream().anyMatch(r -> r.result().strategy().equals(strategy) && !r.result().passed());
            bars.add(new Svg.Bar(strategy, v, color(strategy), failed, strategy + ": " + Svg.num(v) + " " + unit + (failed ? " (FAIL)" : "")));
        }
        return Svg.barChart(id, title, unit, bars, strategies.size() > 6);
    }

    /**
     * Where optimistic's goodput falls below pessimistic's and stays below at every higher thread
     * count (a dip at one point that recovers is noise, not a crossover), and the thread count
     * from which every other safe strategy stays below {@link #KEEPS_UP} of atomic's goodput.
     */
    static List<Svg.Mark> crossoverMarks(Group g, List<Integer> threads, List<String> strategies, List<String> sentences) {
        List<Svg.Mark> marks = new ArrayList<>();
        if (strategies.contains(StrategyId.OPTIMISTIC.flagName()) && strategies.contains(StrategyId.PESSIMISTIC.flagName())) {
            double[] opt = series(g, StrategyId.OPTIMISTIC.flagName(), threads, RunResult::goodputPerSec);
            double[] pes = series(g, StrategyId.PESSIMISTIC.flagName(), threads, RunResult::goodputPerSec);
            int from = -1;
            for (int i = threads.size() - 1; i >= 0; i--) {
                if (Double.isNaN(opt[i]) || Double.isNaN(pes[i]) || opt[i] >= pes[i]) break;
                from = i;
            }
            if (from >= 0) {
                marks.add(new Svg.Mark(from, "optimistic < pessimistic", "#6a1b9a"));
                sentences.add(g.title() + ": optimistic's goodput falls below pessimistic's " + (from == 0 ? "already at " : "at ")
                        + threads.get(from) + " thread(s) and stays below (" + Svg.num(opt[from]) + " against " + Svg.num(pes[from]) + " ops/s)");
            }
        }
        if (strategies.contains(StrategyId.ATOMIC.flagName())) {
            double[] atomic = series(g, StrategyId.ATOMIC.flagName(), threads, RunResult::goodputPerSec);
            List<String> others = strategies.stream().filter(s -> !s.equals(StrategyId.ATOMIC.flagName()) && safe(s)).toList();
            if (!others.isEmpty()) {
                int from = -1;
                for (int i = threads.size() - 1; i >= 0; i--) {
                    if (Double.isNaN(atomic[i]) || !othersBelow(g, others, threads.get(i), atomic[i])) break;
                    from = i;
                }
                if (from >= 0) {
                    marks.add(new Svg.Mark(from, "only atomic keeps up", "#1b5e20"));
                    sentences.add(g.title() + ": from " + threads.get(from) + " thread(s) only atomic keeps up: every other safe strategy ("
                            + String.join(", ", others) + ") has less than " + pct(KEEPS_UP) + " of its goodput ("
                            + Svg.num(atomic[from]) + " ops/s)");
                }
            }
        }
        return marks;
    }

    private static boolean othersBelow(Group g, List<String> others, int threads, double atomic) {
        for (String s : others) {
            double v = g.median(s, threads, RunResult::goodputPerSec);
            if (Double.isNaN(v) || v >= KEEPS_UP * atomic) return false;
        }
        return true;
    }

    private static String lossChart(List<Run> runs) {
        List<Svg.Bar> bars = new ArrayList<>();
        for (Run r : runs) {
            RunResult x = r.result();
            long bad = x.lostUpdates() + x.oversold();
            String label = x.strategy() + " t" + x.threads() + (x.rows() > 1 ? " r" + x.rows() : "");
            bars.add(new Svg.Bar(label, bad, x.passed() ? "#2ca02c" : "#d62728", !x.passed(), r.source() + ": " + x.verdict() + ", "
                    + x.lostUpdates() + " lost, " + x.oversold() + " oversold"));
        }
        return Svg.barChart("losses", "lost updates + oversold units per run (FAIL runs in red)", "operations", bars, true);
    }

    private static void faults(StringBuilder h, List<Run> runs) {
        List<Run> withFaults = runs.stream().filter(r -> !r.result().faults().isEmpty()).toList();
        if (withFaults.isEmpty()) return;
        h.append("<h2>Fault timeline</h2>\n<div class=\"charts\">");
        int n = 0;
        for (Run r : withFaults) {
            RunResult x = r.result();
            List<String> lanes = new ArrayList<>(new LinkedHashSet<>(x.faults().stream().map(f -> f.kind().flagName()).toList()));
            List<long[]> intervals = new ArrayList<>();
            List<Integer> laneOf = new ArrayList<>();
            List<String> tips = new ArrayList<>();
            long length = x.durationMs();
            for (RunResult.Fault f : x.faults()) {
                intervals.add(new long[] {f.startMs(), Math.max(f.endMs(), f.startMs())});
                laneOf.add(lanes.indexOf(f.kind().flagName()));
                tips.add(f.kind() + " on " + f.target() + ": " + f.startMs() + " to " + f.endMs() + " ms");
                length = Math.max(length, f.endMs());
            }
            List<String> labels = new ArrayList<>(java.util.Collections.nCopies(intervals.size(), (String) null));
            List<PrimaryTimeline.Term> terms = PrimaryTimeline.of(x, length);
            if (!terms.isEmpty()) lanes.add("primary");
            for (PrimaryTimeline.Term t : terms) {
                intervals.add(new long[] {t.startMs(), t.endMs()});
                laneOf.add(lanes.size() - 1);
                tips.add(t.node() + " was primary from " + t.startMs() + " to " + t.endMs() + " ms");
                labels.add(t.node());
            }
            RunResult.Series s = x.series();
            h.append(Svg.timeline("faults-" + n++, r.source() + ": " + x.strategy() + " on " + x.store() + ", " + x.verdict(), length, lanes,
                    intervals, laneOf, tips, labels, s == null ? 1000 : s.bucketMs(), s == null ? List.of() : s.ops()));
        }
        h.append("</div>\n");
    }

    private static void details(StringBuilder h, List<Run> runs) {
        List<Run> with = runs.stream().filter(r -> r.result().series() != null && !r.result().series().ops().isEmpty()).toList();
        if (with.isEmpty()) return;
        h.append("<h2>Each run: latency histogram and throughput over time</h2>\n");
        int n = 0;
        for (Run r : with) {
            RunResult x = r.result();
            RunResult.Series s = x.series();
            h.append("<h3>").append(Svg.esc(r.source() + ": " + x.strategy() + " on " + x.store() + ", " + x.threads() + " thread(s), "
                    + x.verdict())).append("</h3>\n<div class=\"charts\">");
            List<Svg.Bar> bars = new ArrayList<>();
            for (RunResult.LatencyBucket b : s.latency()) {
                bars.add(new Svg.Bar("≤" + Svg.num(b.upToMs()), b.count(), "#1f77b4", false, b.count() + " operations up to " + Svg.num(b.upToMs()) + " ms"));
            }
            h.append(Svg.barChart("run-" + n + "-latency", "latency histogram (ms)", "operations", bars, bars.size() > 12));
            List<String> xs = new ArrayList<>();
            double[] ops = new double[s.ops().size()];
            double[] ok = new double[s.ops().size()];
            for (int i = 0; i < ops.length; i++) {
                xs.add(i % Math.max(1, ops.length / 8) == 0 ? Svg.num((i + 1) * s.bucketMs() / 1000.0) : "");
                ops[i] = s.ops().get(i) * 1000.0 / s.bucketMs();
                ok[i] = i < s.okOps().size() ? s.okOps().get(i) * 1000.0 / s.bucketMs() : Double.NaN;
            }
            h.append(Svg.lineChart("run-" + n + "-timeline", "throughput over time (per " + Svg.num(s.bucketMs()) + " ms)", "seconds", "ops/s",
                    xs, List.of(new Svg.Line("completed", "#1f77b4", false, ops), new Svg.Line("acknowledged", "#2ca02c", true, ok)), List.of()));
            h.append("</div>\n");
            n++;
        }
    }

    private static void verdictTable(StringBuilder h, List<Run> runs) {
        h.append("<h2>Verdicts</h2>\n<table class=\"sortable\" id=\"verdicts\"><thead><tr>");
        for (String c : List.of("file", "store", "strategy", "instances", "threads", "rows", "seconds", "invoked", "ok", "failed", "unknown",
                "expected", "actual", "lost", "oversold", "retries", "ops/s", "goodput/s", "p50 ms", "p99 ms", "verdict")) {
            h.append("<th>").append(c).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (Run r : runs) {
            RunResult x = r.result();
            h.append("<tr class=\"").append(x.passed() ? "pass" : "fail").append("\" data-source=\"").append(Svg.esc(r.source())).append("\">");
            h.append("<td>").append(Svg.esc(r.source())).append("</td><td>").append(Svg.esc(x.store())).append("</td><td>")
                    .append(Svg.esc(x.strategy())).append("</td>");
            cell(h, "instances", x.instances());
            cell(h, "threads", x.threads());
            cell(h, "rows", x.rows());
            if (x.seconds() == null) h.append("<td class=\"n\" data-key=\"seconds\"></td>");
            else cell(h, "seconds", x.seconds());
            cell(h, "invoked", x.invoked());
            cell(h, "ok", x.ok());
            cell(h, "failed", x.failedTotal());
            cell(h, "unknown", x.unknown());
            cell(h, "expected", x.expected());
            cell(h, "actual", x.actual());
            cell(h, "lostUpdates", x.lostUpdates());
            cell(h, "oversold", x.oversold());
            cell(h, "retries", x.retries());
            cell(h, "opsPerSec", x.opsPerSec());
            cell(h, "goodputPerSec", x.goodputPerSec());
            cell(h, "p50", x.latencyMs().p50());
            cell(h, "p99", x.latencyMs().p99());
            h.append("<td class=\"verdict ").append(x.passed() ? "pass" : "fail").append("\" data-key=\"verdict\">").append(x.verdict());
            if (!x.passed() && !safe(x.strategy())) h.append(" <span class=\"expected\">(expected: not safe)</span>");
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    /** A number exactly as the JSON has it (Jackson writes a double as Double.toString does), so the table can be checked against it. */
    private static void cell(StringBuilder h, String key, double v) {
        String text = String.valueOf(v);
        h.append("<td class=\"n\" data-key=\"").append(key).append("\" data-v=\"").append(text).append("\">").append(text).append("</td>");
    }

    private static void cell(StringBuilder h, String key, long v) {
        h.append("<td class=\"n\" data-key=\"").append(key).append("\" data-v=\"").append(v).append("\">").append(v).append("</td>");
    }

    private static void matrix(StringBuilder h, Matrix m) {
        h.append("<h2>Isolation matrix: ").append(Svg.esc(m.server())).append("</h2>\n<p class=\"note\">")
                .append(Svg.esc(m.source())).append(": occurs = a schedule broke the anomaly's check; abort = prevented by rolling a session"
                        + " back (its SQLSTATE); blocks = prevented by a lock wait.</p>\n<table class=\"isolation\"><thead><tr><th>level</th>");
        for (String a : m.anomalies()) h.append("<th>").append(Svg.esc(a)).append("</th>");
        h.append("</tr></thead><tbody>\n");
        for (String level : m.levels()) {
            h.append("<tr><td>").append(Svg.esc(level)).append("</td>");
            for (String a : m.anomalies()) {
                String v = m.verdict(a, level);
                String cls = switch (v) {
                    case "OCCURS" -> "occurs";
                    case "PREVENTED_BY_ABORT" -> "abort";
                    case "PREVENTED_BY_BLOCKING" -> "blocks";
                    default -> "prevented";
                };
                h.append("<td class=\"").append(cls).append("\">").append(Svg.esc(m.text(a, level))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static boolean safe(String strategy) {
        try {
            StrategyInfo info = Strategies.get(strategy);
            return info.safe();
        } catch (RuntimeException unknown) {
            return true; // a strategy this racelab does not know: its FAIL is not excused
        }
    }

    private static final Map<String, String> COLORS = new LinkedHashMap<>();

    /** The same colour for a strategy in every chart: its place in the strategy list. */
    private static synchronized String color(String strategy) {
        return COLORS.computeIfAbsent(strategy, s -> {
            List<String> names = Strategies.names();
            int i = names.indexOf(s);
            if (s.equals(StrategyId.ATOMIC.flagName())) return Svg.PALETTE[2];
            if (s.equals(StrategyId.PESSIMISTIC.flagName())) return Svg.PALETTE[0];
            if (s.equals(StrategyId.OPTIMISTIC.flagName())) return Svg.PALETTE[3];
            if (s.equals(StrategyId.NAIVE.flagName())) return Svg.PALETTE[1];
            return Svg.PALETTE[(Math.max(0, i) + 4) % Svg.PALETTE.length];
        });
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

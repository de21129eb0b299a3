package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.scenario.Scenarios;
import dev.racelab.internal.strategy.Strategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A bench sweep: every store x strategy x threads x rows that fits, each run {@code repeat}
 * times for {@code seconds}, after {@code warmup} seconds of unmeasured load. The runs are
 * interleaved: repeat 1 of every point, then repeat 2, each repeat in its own shuffled order
 * (seeded by the repeat's number, so a resumed sweep plans the very same order), so that a
 * drift in the machine's speed is spread over every point instead of landing on one.
 */
public record Sweep(List<String> stores, List<String> strategies, String scenario, int instances, List<Integer> threads,
                    List<Integer> rows, long seconds, int repeat, long warmup) {
    public static final int MAX_REPEAT = 100;
    public static final long MAX_SECONDS = 3_600;

    /** One configuration of the sweep. */
    public record Point(String store, String strategy, int threads, int rows) {
        /** Its name in file names and tables: {@code embedded-atomic-t8-r100}. */
        public String id() {
            return store + "-" + strategy + "-t" + threads + "-r" + rows;
        }

        public String describe() {
            return store + " " + strategy + " threads=" + threads + " rows=" + rows;
        }
    }

    /** One run of the sweep: a point, which repeat of it, and the point's place among the points (from 0). */
    public record PlannedRun(Point point, int repeat, int pointIndex) {
        public String fileName() {
            return point.id() + "-" + repeat + ".json";
        }
    }

    /** A store x strategy pair the sweep leaves out, and why. */
    public record Skipped(String store, String strategy, String reason) {
    }

    public Sweep {
        stores = distinct("store", stores);
        strategies = distinct("strategies", strategies);
        threads = distinct("threads", threads);
        rows = distinct("rows", rows);
        Objects.requireNonNull(scenario, "scenario");
        Scenarios.require(scenario);
        for (String s : stores) StoreRegistry.current().provider(s);
        for (String s : strategies) Strategies.get(s);
        if (instances < 1 || instances > RunSpec.MAX_INSTANCES) {
            throw InvalidFieldException.must("instances", "must be between 1 and " + RunSpec.MAX_INSTANCES + ", was " + instances);
        }
        for (int t : threads) {
            if (t < 1 || t > RunSpec.MAX_THREADS) throw InvalidFieldException.must("threads", "must be between 1 and " + RunSpec.MAX_THREADS + ", was " + t);
        }
        for (int r : rows) {
            if (r < 1 || r > ScenarioOptions.MAX_ACCOUNTS) {
                throw InvalidFieldException.must("rows", "must be between 1 and " + ScenarioOptions.MAX_ACCOUNTS + ", was " + r);
            }
            if (r > 1 && !scenario.equals("counter")) throw InvalidFieldException.must("rows", "spreads the counter scenario only, not " + scenario);
        }
        if (seconds < 1 || seconds > MAX_SECONDS) throw InvalidFieldException.must("seconds", "must be between 1 and " + MAX_SECONDS + ", was " + seconds);
        if (repeat < 1 || repeat > MAX_REPEAT) throw InvalidFieldException.must("repeat", "must be between 1 and " + MAX_REPEAT + ", was " + repeat);
        if (warmup < 0 || warmup > RunSpec.MAX_WARMUP.toSeconds()) {
            throw InvalidFieldException.must("warmup", "must be between 0 and " + RunSpec.MAX_WARMUP.toSeconds() + " seconds, was " + warmup);
        }
    }

    private static <T> List<T> distinct(String field, List<T> values) {
        if (values == null || values.isEmpty()) throw InvalidFieldException.must(field, "needs at least one value");
        if (new HashSet<>(values).size() != values.size()) throw InvalidFieldException.must(field, "names a value twice: " + join(values));
        return List.copyOf(values);
    }

    private Scenario scenarioModel(int rowCount) {
        return Scenarios.create(scenario, options(rowCount));
    }

    private ScenarioOptions options(int rowCount) {
        ScenarioOptions defaults = new ScenarioOptions("p1", null, 1, Scenarios.defaultAccounts(scenario), ScenarioOptions.DEFAULT_BALANCE,
                ScenarioOptions.DEFAULT_AMOUNT, 1, 10);
        return defaults.withRows(rowCount);
    }

    private boolean fits(String store, String strategy) {
        return Fit.of(Strategies.get(strategy), scenarioModel(1), store, null, null).fits();
    }

    /** Every point whose strategy the store can run, in the order the flags name them. */
    public List<Point> points() {
        List<Point> points = new ArrayList<>();
        for (String store : stores) {
            for (String strategy : strategies) {
                if (!fits(store, strategy)) continue;
                for (int r : rows) for (int t : threads) points.add(new Point(store, strategy, t, r));
            }
        }
        return points;
    }

    /** The pairs left out, with the reason Fit gives. */
    public List<Skipped> skipped() {
        List<Skipped> out = new ArrayList<>();
        for (String store : stores) {
            for (String strategy : strategies) {
                Fit.of(Strategies.get(strategy), scenarioModel(1), store, null, null).problem()
                        .ifPresent(e -> out.add(new Skipped(store, strategy, e.render(f -> f))));
            }
        }
        return out;
    }

    /** Every run in the order they go: repeat by repeat, each a shuffle of the points seeded by its number. */
    public List<PlannedRun> order() {
        List<Point> points = points();
        List<PlannedRun> runs = new ArrayList<>();
        for (int rep = 1; rep <= repeat; rep++) {
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) indexes.add(i);
            if (repeat > 1) Collections.shuffle(indexes, new Random(rep));
            for (int i : indexes) runs.add(new PlannedRun(points.get(i), rep, i));
        }
        return runs;
    }

    /** The run of one point: timed, on the point's rows, with the sweep's warm-up. */
    public RunSpec spec(Point point) {
        return RunSpec.builder().scenario(scenario).store(point.store()).strategy(point.strategy())
                .instances(instances).threads(point.threads()).iterations(1)
                .options(options(point.rows())).warmup(Duration.ofSeconds(warmup)).build()
                .timed(Duration.ofSeconds(seconds));
    }

    /** What differs between this sweep and {@code given}, field by field, in the flags' words ("threads: 1,8,32 here, 1,8 given"). */
    public Map<String, String> differences(Sweep given) {
        Map<String, String> out = new LinkedHashMap<>();
        diff(out, "store", stores, given.stores);
        diff(out, "strategies", strategies, given.strategies);
        diff(out, "scenario", List.of(scenario), List.of(given.scenario));
        diff(out, "instances", List.of(instances), List.of(given.instances));
        diff(out, "threads", threads, given.threads);
        diff(out, "rows", rows, given.rows);
        diff(out, "seconds", List.of(seconds), List.of(given.seconds));
        diff(out, "repeat", List.of(repeat), List.of(given.repeat));
        diff(out, "warmup", List.of(warmup), List.of(given.warmup));
        return out;
    }

    private static void diff(Map<String, String> out, String field, List<?> mine, List<?> theirs) {
        if (!mine.equals(theirs)) out.put(field, "the sweep has " + join(mine) + ", this asks for " + join(theirs));
    }

    public static String join(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}

package dev.racelab.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.cli.Main;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.testing.Browser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The HTML report in headless Chromium: it opens with no request at all (the console has no
 * failed load and no CSP violation, the Performance API lists nothing fetched), every chart
 * drew, the verdict table's numbers are the JSON's, and the one script runs under the
 * Content-Security-Policy (sorting the table works). Each test saves a screenshot under
 * target/screenshots/.
 */
class ReportBrowserTest {
    private record Cli(int code, String out, String err) {
    }

    private static Cli racelab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /**
     * A real sweep on this machine's PostgreSQL, a timed run with kill-worker faults, and the
     * isolation matrix of the same server, in one report.
     */
    @Test
    void aRealSweepsReportOpensOfflineWithEveryChartDrawnAndTheTableEqualToTheJson(@TempDir Path tmp) throws Exception {
        Path sweep = tmp.resolve("sweep");
        Cli bench = racelab("bench", "--store", "postgres", "--strategies", "atomic,pessimistic,optimistic", "--threads", "1,4",
                "--rows", "1,10", "--seconds", "1", "--repeat", "1", "--warmup", "0", "--out", sweep.toString());
        assertThat(bench.code()).as(bench.err()).isZero();
        Path faults = sweep.resolve("faults.json");
        Path single = tmp.resolve("single.html");
        Cli run = racelab("run", "--store", "postgres", "--strategy", "atomic", "--instances", "2", "--threads", "2", "--seconds", "4",
                "--nemesis", "kill-worker", "--nemesis-every", "1s", "--json", faults.toString(), "--report", single.toString());
        assertThat(run.code()).as(run.err()).isZero();
        Path matrix = tmp.resolve("matrix.json");
        Cli isolation = racelab("isolation", "--store", "postgres", "--json", matrix.toString());
        assertThat(isolation.code()).as(isolation.err()).isZero();

        Path html = tmp.resolve("report.html");
        Cli report = racelab("report", sweep.toString(), matrix.toString(), "-o", html.toString());
        assertThat(report.code()).as(report.err()).isZero();
        String text = Files.readString(html);
        assertThat(text).contains("http-equiv=\"Content-Security-Policy\"").contains("default-src 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("src=\"http").doesNotContain("href=\"http");

        try (Browser browser = Browser.open(1300, 1000)) {
            browser.open(html);
            assertNothingFetchedOrFailed(browser);
            List<WebElement> charts = browser.driver().findElements(By.cssSelector("svg.chart"));
            // the sweep's two row counts x (throughput, latency, retries); the fault run (2 instances, one thread
            // count) as bars of goodput, p50, p99, retries; the losses per run; its fault timeline
            assertThat(charts).hasSize(2 * 3 + 4 + 1 + 1);
            assertEveryChartDrew(browser);

            List<Path> runFiles = new ArrayList<>();
            try (Stream<Path> files = Files.list(sweep.resolve("runs"))) {
                files.sorted().forEach(runFiles::add);
            }
            runFiles.add(faults);
            assertTableEqualsJson(browser, sweep, runFiles.size());

            JsonNode faultRun = Json.MAPPER.readTree(faults.toFile());
            assertThat(faultRun.get("faults").size()).as("kill-worker struck").isPositive();
            assertThat(browser.driver().findElements(By.cssSelector("svg[id^=faults-] rect.fault"))).hasSize(faultRun.get("faults").size());

            JsonNode m = Json.MAPPER.readTree(matrix.toFile());
            List<WebElement> isolationCells = browser.driver().findElements(By.cssSelector("table.isolation tbody td:not(:first-child)"));
            assertThat(isolationCells).hasSize(m.get("cells").size());
            for (JsonNode cell : m.get("cells")) {
                int row = indexOf(m.get("levels"), cell.get("level").asText());
                int col = indexOf(m.get("anomalies"), cell.get("anomaly").asText());
                String shown = isolationCells.get(row * m.get("anomalies").size() + col).getText();
                assertThat(shown).as(cell.toString()).startsWith(switch (cell.get("verdict").asText()) {
                    case "OCCURS" -> "occurs";
                    case "PREVENTED_BY_ABORT" -> "abort";
                    case "PREVENTED_BY_BLOCKING" -> "blocks";
                    default -> "prevented";
                });
            }

            // The hashed script runs under the policy: a click on "ops/s" sorts the table by it.
            browser.driver().findElement(By.xpath("//table[@id='verdicts']//th[text()='ops/s']")).click();
            assertThat(numbers(browser, "opsPerSec")).isSorted();
            assertThat(browser.consoleMessages()).noneMatch(e -> e.getLevel().intValue() >= Level.WARNING.intValue());
            browser.fitHeight(1300);
            assertThat(browser.screenshot("report-sweep")).isNotEmptyFile();

            browser.open(single);
            assertNothingFetchedOrFailed(browser);
            assertThat(browser.driver().findElements(By.cssSelector("svg#run-0-latency rect.bar"))).isNotEmpty();
            assertThat(browser.driver().findElements(By.cssSelector("svg#run-0-timeline path.series"))).isNotEmpty();
            assertEveryChartDrew(browser);
            browser.fitHeight(1300);
            assertThat(browser.screenshot("report-one-run")).isNotEmptyFile();
        }
    }

    /**
     * A 108-run sweep (3 strategies x 4 thread counts x 3 row counts x 3 repeats) makes a report
     * under 2 MB that loads whole. The runs are made up here (their numbers do not matter to
     * rendering), a few of them FAIL, and those must stand out. How long it takes to open is
     * printed, not asserted: a speed goal on a shared machine is a benchmark's, not a test's.
     */
    @Test
    void aReportOf108RunsIsSmallLoadsWholeAndItsFailRunsStandOut(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep108");
        Files.createDirectories(dir.resolve("runs"));
        Random random = new Random(15);
        int fails = 0;
        for (String strategy : List.of("atomic", "pessimistic", "naive")) {
            for (int threads : List.of(1, 4, 16, 64)) {
                for (int rows : List.of(1, 10, 100)) {
                    for (int rep = 1; rep <= 3; rep++) {
                        boolean fail = strategy.equals("naive") && threads > 1 && rows == 1;
                        if (fail) fails++;
                        RunResult r = synthetic(strategy, threads, rows, fail, random);
                        Json.MAPPER.writeValue(dir.resolve("runs").resolve(strategy + "-t" + threads + "-r" + rows + "-" + rep + ".json").toFile(), r);
                    }
                }
            }
        }
        Path html = tmp.resolve("report108.html");
        Cli report = racelab("report", dir.toString(), "-o", html.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.out()).contains("108 run(s)");
        assertThat(Files.size(html)).as("bytes").isLessThan(2L * 1024 * 1024);

        try (Browser browser = Browser.open(1300, 1000)) {
            long start = System.nanoTime();
            browser.open(html);
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            Number loadMs = (Number) browser.js("var n=performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;");
            assertThat(loadMs.doubleValue()).as("the load event fired").isPositive();
            assertNothingFetchedOrFailed(browser);
            assertThat(browser.driver().findElements(By.cssSelector("svg.chart"))).hasSize(3 * 3 + 1);
            assertEveryChartDrew(browser);
            assertTableEqualsJson(browser, dir, 108);
            assertThat(browser.driver().findElements(By.cssSelector("#verdicts tr.fail"))).hasSize(fails);
            assertThat(browser.driver().findElements(By.cssSelector("svg#losses rect.bar.fail"))).hasSize(fails);
            assertThat(browser.driver().findElements(By.cssSelector("svg#losses text.fail-label"))).hasSize(fails);
            String failColor = (String) browser.js("return getComputedStyle(document.querySelector('#verdicts tr.fail td')).backgroundColor;");
            String passColor = (String) browser.js("return getComputedStyle(document.querySelector('#verdicts tr.pass td')).backgroundColor;");
            assertThat(failColor).isNotEqualTo(passColor);
            browser.fitHeight(1300);
            assertThat(browser.screenshot("report-108-runs")).isNotEmptyFile();
            System.out.printf("racelab report of 108 runs: %,d bytes, load event after %.0f ms (driver.get %d ms)%n", Files.size(html),
                    loadMs.doubleValue(), wallMs);
        }
    }

    private static RunResult synthetic(String strategy, int threads, int rows, boolean fail, Random random) {
        long invoked = 1000L * threads + random.nextInt(500);
        long lost = fail ? 1 + random.nextInt(200) : 0;
        double ops = Math.round((strategy.equals("atomic") ? 5000.0 : 900.0) * Math.sqrt(threads) * (1 + random.nextDouble() * 0.1) * 10) / 10.0;
        long durationMs = Math.max(1, Math.round(invoked / ops * 1000));
        RunResult.Series series = new RunResult.Series(100, List.of(invoked / 2, invoked - invoked / 2), List.of(invoked / 2, invoked - invoked / 2),
                List.of(new RunResult.LatencyBucket(0.5, invoked / 3), new RunResult.LatencyBucket(1.0, invoked - invoked / 3)));
        return RunResult.builder().scenario("counter").store("postgres").strategy(strategy).instances(1).threads(threads).rows(rows).seconds(8L)
                .planned(invoked).invoked(invoked).ok(invoked).failed(Map.of("conflict", 0L))
                .retries(strategy.equals("pessimistic") ? 0 : random.nextInt(100)).firstError("")
                .expected(invoked).actual(invoked - lost).lostUpdates(lost)
                .verdict(fail ? PassFail.FAIL : PassFail.PASS).explanation(fail ? lost + " acknowledged increments are missing" : "every increment is there")
                .durationMs(durationMs).opsPerSec(ops).latencyMs(new RunResult.LatencyMs(0.4 * threads, 0.9 * threads, 1.3 * threads, 2.0 * threads))
                .series(series).peakHeapMb(100).liveHeapMb(50)
                .build();
    }

    private static void assertNothingFetchedOrFailed(Browser browser) {
        assertThat(browser.fetchedResources()).as("resources fetched").isEmpty();
        List<LogEntry> console = browser.consoleMessages();
        assertThat(console).as("console: failed loads, CSP violations, errors").noneMatch(e -> e.getLevel().intValue() >= Level.WARNING.intValue());
        assertThat(browser.js("return document.readyState;")).isEqualTo("complete");
    }

    /** Every chart has drawn marks (a line, a bar, a dot, a fault) and a box on the page. */
    private static void assertEveryChartDrew(Browser browser) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> charts = (List<Map<String, Object>>) browser.js(
                "return Array.from(document.querySelectorAll('svg.chart')).map(function(s){var b=s.getBoundingClientRect();"
                        + "return {id:s.id, marks:s.querySelectorAll('path.series, rect.bar, circle, rect.fault').length, w:b.width, h:b.height};});");
        assertThat(charts).isNotEmpty();
        for (Map<String, Object> c : charts) {
            assertThat(((Number) c.get("marks")).intValue()).as("marks drawn in " + c.get("id")).isPositive();
            assertThat(((Number) c.get("w")).doubleValue()).as(c.get("id") + " width").isPositive();
            assertThat(((Number) c.get("h")).doubleValue()).as(c.get("id") + " height").isPositive();
        }
    }

    /** Each row names its JSON file; every number in it must be that file's. */
    private static void assertTableEqualsJson(Browser browser, Path dir, int expectedRows) throws Exception {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> table = (List<Map<String, Object>>) browser.js(
                "return Array.from(document.querySelectorAll('#verdicts tbody tr')).map(function(tr){var o={source:tr.dataset.source};"
                        + "tr.querySelectorAll('td[data-key]').forEach(function(td){o[td.dataset.key]=td.textContent.trim();});return o;});");
        assertThat(table).hasSize(expectedRows);
        for (Map<String, Object> row : table) {
            JsonNode j = Json.MAPPER.readTree(dir.resolve((String) row.get("source")).toFile());
            Map<String, Double> want = new HashMap<>();
            for (String key : List.of("instances", "threads", "rows", "seconds", "invoked", "ok", "unknown", "expected", "actual", "lostUpdates",
                    "oversold", "retries", "opsPerSec")) {
                want.put(key, j.get(key).asDouble());
            }
            double failed = 0;
            for (JsonNode v : j.get("failed")) failed += v.asDouble();
            want.put("failed", failed);
            want.put("p50", j.get("latencyMs").get("p50").asDouble());
            want.put("p99", j.get("latencyMs").get("p99").asDouble());
            want.put("goodputPerSec", Math.round(j.get("ok").asDouble() * 10_000.0 / j.get("durationMs").asDouble()) / 10.0);
            want.forEach((key, value) -> assertThat(Double.parseDouble((String) row.get(key))).as(row.get("source") + " " + key).isEqualTo(value));
            assertThat((String) row.get("verdict")).as(row.get("source") + " verdict").startsWith(j.get("verdict").asText());
        }
    }

    private static List<Double> numbers(Browser browser, String key) {
        List<Double> out = new ArrayList<>();
        for (WebElement td : browser.driver().findElements(By.cssSelector("#verdicts tbody td[data-key=" + key + "]"))) {
            out.add(Double.parseDouble(td.getText()));
        }
        return out;
    }

    private static int indexOf(JsonNode array, String value) {
        for (int i = 0; i < array.size(); i++) if (array.get(i).asText().equals(value)) return i;
        throw new AssertionError(value + " not in " + array);
    }
}

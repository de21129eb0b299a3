package dev.racelab.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Clock;
import dev.racelab.internal.run.LiveRaces;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.store.StoreRoles;
import dev.racelab.testing.Browser;
import dev.racelab.testing.TestStores;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The live page in headless Chromium, served by racelab on this machine's PostgreSQL as
 * {@code racelab serve --demo --naive-barrier 4} serves it. A naive deposit race of 4 clients
 * shows lost updates (certain: every round of 4 reads the same balance) and ends FAIL; an
 * atomic one ends PASS with nothing lost. Every request the page made went to racelab's own
 * origin and none failed (Performance API), and the console stayed clean. Then bad input is
 * shown on the page with the field marked; and behind a token, a start without it shows the
 * 401 until the token is filled in. Screenshots go under target/screenshots/.
 */
class LivePageBrowserTest {
    private static final String TOKEN = "page-token";
    private static Store store;
    private static RaceServer demo;
    private static RaceServer guarded;

    @BeforeAll
    static void start() {
        store = TestStores.open(TestStores.postgres(), Layout.KEYED, 16);
        StoreRoles roles = new StoreRoles(store, null, store);
        LiveRaces demoRaces = new LiveRaces(roles, "postgres", null, 1, LiveRaces.NaiveGap.rendezvous(4, Clock.SYSTEM), Clock.SYSTEM);
        demo = RaceServer.start("127.0.0.1", 0, LiveApi.routes(demoRaces, true, false,
                "each naive read waits until 4 clients have read (--naive-barrier), so naive's loss is certain"), null, demoRaces);
        LiveRaces guardedRaces = new LiveRaces(roles, "postgres", null, 1, LiveRaces.NaiveGap.NONE, Clock.SYSTEM);
        guarded = RaceServer.start("127.0.0.1", 0, LiveApi.routes(guardedRaces, true, true, null), TOKEN, guardedRaces);
    }

    @AfterAll
    static void stop() {
        demo.close();
        guarded.close();
        store.close();
    }

    private static String origin(RaceServer server) {
        return "http://localhost:" + server.port(); // the browser resolves no other name, nor IP literals (Browser.FLAGS)
    }

    @Test
    void aNaiveRaceShowsLostUpdatesAndAnAtomicRaceEndsPassWithNothingFetchedOffOrigin() {
        try (Browser browser = Browser.open(1280, 1000)) {
            browser.driver().get(origin(demo) + "/?scenario=deposit&strategy=naive&concurrency=4&operations=800");
            awaitTrue(browser, "the page read the server's options", () -> browser.driver().findElement(By.id("start")).isEnabled());
            assertThat(text(browser, "server")).contains("Store postgres").contains("--naive-barrier");
            assertThat(optionsIn(browser, "cannot run on this server")).contains("naive-nokey", "decide-then-log", "reserve-confirm");
            assertThat(optionsIn(browser, "safe")).contains("atomic", "pessimistic", "optimistic");

            race(browser, "deposit", "naive", 4);
            long lost = number(text(browser, "lost"));
            assertThat(lost).as("lost deposits on the page").isEqualTo(600);
            assertThat(text(browser, "verdict")).isEqualTo("FAIL");
            assertThat(text(browser, "sentence")).startsWith("naive: FAIL");
            assertThat(text(browser, "acknowledged")).isEqualTo("9,000.00");
            assertThat(text(browser, "stored")).isEqualTo("3,000.00");
            assertThat(browser.driver().findElement(By.id("lost")).findElement(By.xpath("..")).getAttribute("class")).contains("hot");
            assertThat(browser.driver().findElements(By.cssSelector("svg#latency polyline"))).hasSize(2);
            assertThat(browser.driver().findElements(By.cssSelector("svg#rate polyline"))).hasSize(1);
            browser.fitHeight(1280);
            assertThat(browser.screenshot("live-naive")).isNotEmptyFile();

            race(browser, "deposit", "atomic", 16);
            assertThat(text(browser, "verdict")).isEqualTo("PASS");
            assertThat(number(text(browser, "lost"))).isZero();
            assertThat(text(browser, "sentence")).startsWith("atomic: PASS");
            assertThat(text(browser, "acknowledged")).isEqualTo(text(browser, "stored")).isEqualTo("9,000.00");
            assertThat(browser.screenshot("live-atomic")).isNotEmptyFile();

            race(browser, "flash-sale", "naive", 4);
            assertThat(text(browser, "verdict")).isEqualTo("FAIL");
            assertThat(number(text(browser, "oversold"))).as("units sold beyond the stock of 100").isEqualTo(300);
            assertThat(browser.screenshot("live-flash-sale-naive")).isNotEmptyFile();

            assertEverythingCameFromTheOriginAndNothingFailed(browser, origin(demo));

            // Bad input: shown on the page, with the field marked; the page goes on working.
            for (String bad : List.of("0", "100000")) {
                browser.js("document.getElementById('concurrency').value = arguments[0];", bad);
                browser.driver().findElement(By.id("start")).click();
                awaitTrue(browser, "the error is shown", () -> browser.driver().findElement(By.id("error")).isDisplayed());
                assertThat(text(browser, "error")).contains("400").contains("concurrency must be between 1 and 1,000 clients");
                assertThat(browser.driver().findElement(By.id("concurrency")).getAttribute("class")).contains("invalid");
            }
            browser.js("document.getElementById('concurrency').value = '8';");
            choose(browser, "strategy", "naive-nokey");
            assertThat(text(browser, "strategy-about")).startsWith("Cannot run here: it keeps its cells in a table with no primary key");
            browser.driver().findElement(By.id("start")).click();
            awaitTrue(browser, "the misfit is shown", () -> text(browser, "error").contains("cannot run the flash-sale race"));
            assertThat(browser.driver().findElement(By.id("strategy")).getAttribute("class")).contains("invalid");

            browser.driver().get(origin(demo) + "/?strategy=fastest");
            awaitTrue(browser, "the page loaded", () -> browser.driver().findElement(By.id("start")).isEnabled());
            assertThat(text(browser, "strategy-about")).contains("no strategy by this name");
            browser.driver().findElement(By.id("start")).click();
            awaitTrue(browser, "the unknown strategy is shown", () -> text(browser, "error").contains("unknown strategy 'fastest'"));
            assertThat(browser.screenshot("live-bad-input")).isNotEmptyFile();
        }
    }

    @Test
    void behindATokenTheStartShowsThe401UntilTheTokenIsFilledIn() {
        try (Browser browser = Browser.open(1280, 900)) {
            browser.driver().get(origin(guarded) + "/");
            awaitTrue(browser, "the page read the server's options", () -> browser.driver().findElement(By.id("start")).isEnabled());
            assertThat(text(browser, "token-hint")).isEqualTo("required on this server");
            choose(browser, "strategy", "atomic");
            browser.driver().findElement(By.id("start")).click();
            awaitTrue(browser, "the 401 is shown", () -> text(browser, "error").startsWith("401"));
            assertThat(text(browser, "error")).contains("X-Admin-Token").contains("Fill in the admin token");
            assertThat(browser.driver().findElement(By.id("token")).getAttribute("class")).contains("invalid");
            assertThat(browser.driver().findElement(By.id("race")).isDisplayed()).as("no race shown").isFalse();

            browser.driver().findElement(By.id("token")).sendKeys(TOKEN);
            browser.driver().findElement(By.id("start")).click();
            awaitTrue(browser, "the race ended", () -> "done".equals(raceState(browser)));
            assertThat(browser.driver().findElement(By.id("error")).isDisplayed()).isFalse();
            assertThat(text(browser, "verdict")).isEqualTo("PASS");
            assertThat(browser.screenshot("live-token")).isNotEmptyFile();
        }
    }

    /** Picks the race on the form, starts it and waits for its verdict. */
    private static void race(Browser browser, String scenario, String strategy, int concurrency) {
        choose(browser, "scenario", scenario);
        choose(browser, "strategy", strategy);
        browser.js("document.getElementById('concurrency').value = arguments[0];", String.valueOf(concurrency));
        browser.driver().findElement(By.id("start")).click();
        awaitTrue(browser, strategy + " started", () -> {
            String title = text(browser, "title");
            return title.startsWith(strategy + " on the " + scenario + " race");
        });
        awaitTrue(browser, strategy + " ended", () -> "done".equals(raceState(browser)) && browser.driver().findElement(By.id("verdict-box")).isDisplayed());
        assertThat(number(text(browser, "done"))).isEqualTo(800);
        assertThat(browser.driver().findElement(By.id("error")).isDisplayed()).as(text(browser, "error")).isFalse();
    }

    /** Picks an option as a person would: the value, then the change event the page listens to. */
    private static void choose(Browser browser, String select, String value) {
        Object chosen = browser.js("var s = document.getElementById(arguments[0]); s.value = arguments[1];"
                + " s.dispatchEvent(new Event('change')); return s.value;", select, value);
        assertThat(chosen).as(select + " offers " + value).isEqualTo(value);
    }

    private static String raceState(Browser browser) {
        return (String) browser.js("var r = document.getElementById('race'); return r.hidden ? null : r.dataset.state;");
    }

    /** Every resource the page fetched (script, style, icon, JSON, the event streams) came from racelab, with a status below 400. */
    @SuppressWarnings("unchecked")
    private static void assertEverythingCameFromTheOriginAndNothingFailed(Browser browser, String origin) {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) browser.js("return performance.getEntries()"
                + ".filter(function(e){return e.entryType==='resource'||e.entryType==='navigation';})"
                + ".map(function(e){return {name: e.name, status: e.responseStatus, type: e.initiatorType};});");
        assertThat(entries).extracting(e -> (String) e.get("name")).contains(origin + "/live/live.js", origin + "/live/live.css",
                origin + "/races");
        for (Map<String, Object> e : entries) {
            assertThat((String) e.get("name")).as("fetched from racelab").startsWith(origin + "/");
            Number status = (Number) e.get("status");
            assertThat(status == null ? 0 : status.intValue()).as(e.get("name") + " status").isLessThan(400);
        }
        assertThat(browser.consoleMessages()).as("console: failed loads, CSP violations, errors")
                .noneMatch(m -> m.getLevel().intValue() >= Level.WARNING.intValue());
    }

    private static List<String> optionsIn(Browser browser, String group) {
        return browser.driver().findElements(By.xpath("//select[@id='strategy']/optgroup[@label='" + group + "']/option")).stream()
                .map(WebElement::getText).toList();
    }

    private static String text(Browser browser, String id) {
        return browser.driver().findElement(By.id(id)).getText();
    }

    private static long number(String shown) {
        return Long.parseLong(shown.replace(",", "").trim());
    }

    /** Polls the page until {@code condition} holds, for at most 60 s (a race is bounded, and the machine may be busy). */
    private static void awaitTrue(Browser browser, String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.get())) return;
            } catch (RuntimeException notYet) {
                // the element is not there yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
        throw new AssertionError("timed out waiting for: " + what + "; status: " + browser.js(
                "return document.getElementById('status').textContent + ' / ' + document.getElementById('error').textContent;"));
    }
}

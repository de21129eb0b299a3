package dev.racelab.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for the tests, through plain WebDriver: Debian's {@code chromium} and its
 * {@code chromedriver}, both by path, so Selenium Manager is never asked for (and never
 * downloads) a driver or a browser, and no API tied to one CDP version is used, since Debian's
 * Chromium moves on. The flags keep Chromium off the network on its own account (no component
 * updates, no sync, no background fetches) and every session gets a fresh profile, removed on
 * close. A machine without them fails here, naming the install command, never skips.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final String INSTALL = "apt-get install -y chromium chromium-driver";
    /**
     * The flags, and one more: with those alone Chromium itself (not the page) still
     * opens connections to clients2.google.com, update.googleapis.com and accounts.google.com (seen
     * in its --log-net-log), so every host name but localhost resolves to nothing, and no such
     * connection leaves the machine. Pages on 127.0.0.1 and localhost are unaffected.
     */
    public static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost");

    /** Selenium warns that it has no CDP for this Chromium: nothing here uses CDP, so that is noise. Held, as the log manager holds loggers weakly. */
    private static final java.util.logging.Logger QUIET_CDP = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /** A new headless Chromium with a window of {@code width} x {@code height} CSS pixels. */
    public static Browser open(int width, int height) {
        QUIET_CDP.setLevel(Level.SEVERE);
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) throw new IllegalStateException(p + " is missing: install headless Chromium with: " + INSTALL);
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("racelab-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)).build();
        return new Browser(new ChromeDriver(service, options), service, profile);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(Path file) {
        driver.get(file.toUri().toString());
    }

    /** Runs {@code script} in the page ("return ..." for a value). */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The console's messages since the last call: failed loads and CSP violations show up here. */
    public List<LogEntry> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Every resource the page fetched after its own document, by the Performance API. */
    @SuppressWarnings("unchecked")
    public List<String> fetchedResources() {
        return (List<String>) js("return performance.getEntriesByType('resource').map(function(e){return e.name;});");
    }

    /** Saves a PNG of the window under {@code target/screenshots/} (and returns where). */
    public Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path to = dir.resolve(name + ".png");
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resizes the window to the page's full height, so a screenshot shows all of it. */
    public void fitHeight(int width) {
        Number h = (Number) js("return Math.ceil(document.documentElement.scrollHeight);");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, Math.min(16_000, h.intValue() + 120)));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp profile left behind is harmless
            }
        }
    }
}

package dev.racelab.internal.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.cli.ExitCode;
import dev.racelab.internal.cli.LoadCommand;
import dev.racelab.internal.cli.Main;
import dev.racelab.core.UsageException;
import dev.racelab.internal.json.Json;
import dev.racelab.core.RunAbortedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `racelab load` end to end: flags, exit codes, one-line errors, the table, the sentence and the JSON. */
class LoadCommandTest {
    private SeedServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    record Result(int code, String out, String err) {
        void isOneLineUsageError(String mentioning) {
            assertThat(code).as("exit code; stderr: %s", err).isEqualTo(ExitCode.USAGE);
            assertThat(err.strip()).doesNotContain("\n").startsWith("racelab: ").contains(mentioning);
            assertThat(err).doesNotContain("\tat ");
            assertThat(out).isEmpty();
        }
    }

    /**
     * Runs `racelab load ARGS`: through Main once Main lists the command, and until then through
     * a command line with Main's handling of errors (one line, exit 2 or 3).
     */
    static Result racelab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        int code;
        if (new CommandLine(new Main()).getSubcommands().containsKey("load")) {
            code = Main.execute(Stream.concat(Stream.of("load"), Stream.of(args)).toArray(String[]::new), o, e);
        } else {
            CommandLine cli = new CommandLine(new LoadCommand());
            cli.setOut(o);
            cli.setErr(e);
            cli.setParameterExceptionHandler((ex, a) -> {
                e.println("racelab: " + ex.getMessage().replace('\n', ' '));
                return ExitCode.USAGE;
            });
            cli.setExecutionExceptionHandler((ex, c, parsed) -> {
                if (!(ex instanceof UsageException) && !(ex instanceof RunAbortedException)) throw ex;
                e.println("racelab: " + ex.getMessage());
                return ex instanceof UsageException ? ExitCode.USAGE : ExitCode.ABORTED;
            });
            code = cli.execute(args);
        }
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        racelab("--url", "localhost:3000", "--endpoint", "/deposit-atomic/1").isOneLineUsageError("--url must start with http://");
        racelab("--url", "http://", "--endpoint", "/deposit-atomic/1").isOneLineUsageError("--url is not a URL");
        racelab("--endpoint", "/deposit-atomic/1", "--requests", "0").isOneLineUsageError("--requests must be at least 1");
        racelab("--endpoint", "/deposit-atomic/1", "--concurrency", "-1").isOneLineUsageError("--concurrency must be at least 1");
        racelab("--endpoint", "/deposit-atomic/1", "--amount", "0").isOneLineUsageError("--amount: amount must be positive");
        racelab("--endpoint", "/deposit-atomic/1", "--amount", "1.005").isOneLineUsageError("more than 2 decimals");
        racelab("--endpoint", "/deposit-atomic/1", "--amount", "ten").isOneLineUsageError("ten");
        racelab("--endpoint", "/transfer").isOneLineUsageError("pass --account ID");
        racelab("--endpoint", "/deposit-atomic/1", "--header", "Idempotency-Key").isOneLineUsageError("'Name: value'");
        racelab("--requests", "5").isOneLineUsageError("--endpoint");
    }

    @Test
    void anUnreachableServerIsOneLineAndExitTwo() {
        racelab("--url", "http://127.0.0.1:1", "--endpoint", "/deposit-atomic/1")
                .isOneLineUsageError("cannot reach http://127.0.0.1:1: Connection refused (is racelab serve running?)");
    }

    @Test
    void anUnwritableJsonPathIsRefusedBeforeAnyRequest(@TempDir Path dir) throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        racelab("--url", server.url(), "--endpoint", "/deposit-atomic/1", "--json", dir.resolve("no/such/dir/r.json").toString())
                .isOneLineUsageError("cannot write --json");
        assertThat(server.arrivals.get()).isZero();
    }

    @Test
    void aServerWithoutResetSaysHowToGoOn() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        server.hasReset = false;
        racelab("--url", server.url(), "--endpoint", "/deposit-atomic/1")
                .isOneLineUsageError("the server has no /reset; start it with --demo, or pass --no-reset");
        Result r = racelab("--url", server.url(), "--endpoint", "/deposit-atomic/1", "--no-reset", "--requests", "3");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
    }

    @Test
    void aPassingLoadExitsZeroAndWritesTheJsonFields(@TempDir Path dir) throws Exception {
        server = SeedServer.start(SeedServer.refusing(n -> n % 10 == 0, SeedServer.Reply.error(409, "Too many conflicts, please retry")));
        Path json = dir.resolve("load.json");
        Result r = racelab("--url", server.url(), "--endpoint", "/deposit-optimistic/1", "--requests", "50",
                "--concurrency", "25", "--amount", "2.50", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).startsWith("endpoint").contains("requests", "ok", "rejected", "failed", "unknown", "start",
                "final", "expected", "lost", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "verdict");
        assertThat(lines[0]).doesNotContain("phantom");
        assertThat(lines[1]).matches("-+");
        assertThat(lines[2]).startsWith("/deposit-optimistic/1").contains(" 45 ", " 5 ", "1000.00", "1112.50").endsWith("PASS");
        assertThat(r.out()).contains("PASS: every acknowledged deposit is in the balance; 5 requests were rejected with 409"
                + " and the client was told, which is not a loss.");
        assertThat(r.err()).contains("racelab: load: 50 x POST");

        String text = Files.readString(json);
        JsonNode node = Json.MAPPER.readTree(text);
        for (String key : new String[] {"url", "endpoint", "account", "requests", "concurrency", "amount", "ok", "rejected",
                "failed", "unknown", "statuses", "start", "final", "expected", "expectedMax", "lostUpdates", "phantom",
                "durationMs", "requestsPerSec", "latencyMs", "firstError", "verdict", "explanation"}) {
            assertThat(node.has(key)).as("key %s in %s", key, node).isTrue();
        }
        for (String p : new String[] {"p50", "p95", "p99", "max"}) assertThat(node.get("latencyMs").has(p)).isTrue();
        assertThat(node.get("ok").asLong()).isEqualTo(45);
        assertThat(node.get("rejected").asLong()).isEqualTo(5);
        assertThat(node.get("final").decimalValue()).isEqualByComparingTo("1112.50");
        assertThat(text).as("money keeps its two decimals").contains("\"final\" : 1112.50,", "\"lostUpdates\" : 0.00,",
                "\"amount\" : 2.50,");
        assertThat(node.get("verdict").asText()).isEqualTo("PASS");
    }

    @Test
    void lostUpdatesExitOne() throws Exception {
        server = SeedServer.start(SeedServer.racy(10));
        Result r = racelab("--url", server.url(), "--endpoint", "/deposit-broken/1", "--requests", "10", "--concurrency", "10");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.FAIL);
        assertThat(r.out()).contains("FAIL: 90.00 of the 100.00 that 10 acknowledged deposits added is missing: lost updates.");
    }

    @Test
    void aBalanceThatBreaksExitsThreeWithoutAVerdict() throws Exception {
        server = SeedServer.start((s, n, amount, headers) -> {
            s.balanceBroken = true;
            return SeedServer.Reply.balance(s.balance.addAndGet(amount));
        });
        Result r = racelab("--url", server.url(), "--endpoint", "/deposit-atomic/1", "--requests", "3");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.ABORTED);
        assertThat(r.err()).contains("racelab: cannot read the final balance").doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("PASS").doesNotContain("FAIL");
    }

    @Test
    void helpListsTheFlags() {
        Result r = racelab("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--url", "--endpoint", "--account", "--requests", "--concurrency", "--amount",
                "--no-reset", "--admin-token", "--timeout-ms", "--header", "--json");
    }
}

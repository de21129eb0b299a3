package dev.racelab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every number a flag or a probe's request body carries, written with a huge exponent or digit
 * count, is exit 2 with one short line within a second: no command does arithmetic on it first.
 * The probes point at 127.0.0.1:1, where nothing listens, so a spec that is wrongly accepted
 * ends in another exit code instead of reaching anything.
 */
class HugeNumberFlagsTest {
    /** The issue asks for "within a second": a refusal does no work, and the unbounded parse took minutes. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(1);
    private static final List<String> HUGE = List.of("1e300000000", "-1e300000000", "1e-3000000", "1E+2147483647",
            "9".repeat(5_000), "0." + "0".repeat(900) + "1");

    record Result(int code, String out, String err) {
    }

    private static Result racelab(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static List<String> probe(String... more) {
        List<String> args = new ArrayList<>(List.of("probe", "http", "--url", "http://127.0.0.1:1", "--request", "POST /deposit/1",
                "--read", "GET /balance/1", "--value", "balance", "--requests", "2", "--concurrency", "2"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void aHugeNumberInAnyFlagOrProbeBodyIsExitTwoWithinASecond() {
        for (String n : HUGE) {
            List<List<String>> commands = List.of(
                    List.of("run", "--scenario", "deposit", "--strategy", "atomic", "--amount", n),
                    List.of("run", "--scenario", "deposit", "--strategy", "atomic", "--balance", n),
                    List.of("run", "--scenario", "deposit", "--strategy", "atomic", "--iterations", n),
                    List.of("run", "--scenario", "order", "--strategy", "atomic", "--stock", n),
                    List.of("run", "--scenario", "deposit", "--strategy", "atomic", "--nemesis-every", n),
                    List.of("load", "--url", "http://127.0.0.1:1", "--endpoint", "/deposit-atomic/1", "--amount", n),
                    List.of("load", "--url", "http://127.0.0.1:1", "--endpoint", "/deposit-atomic/1", "--requests", n),
                    probe("--body", "{\"amount\": 10}", "--expect", "sum", "--delta", n),
                    probe("--body", "{\"amount\": 10}", "--expect", "floor", "--floor", "0", "--delta", n),
                    probe("--body", "{\"amount\": 10}", "--expect", "floor", "--floor", n, "--delta", "-1"),
                    probe("--body", "{\"amount\": " + n + "}", "--expect", "sum", "--delta-from", "body.amount"),
                    probe("--body", "{\"amount\": \"" + n + "\"}", "--expect", "sum", "--delta-from", "body.amount"));
            for (List<String> command : commands) {
                String what = String.join(" ", command);
                String shown = what.substring(0, Math.min(160, what.length()));
                Result r = assertTimeoutPreemptively(ANSWER_BOUND, () -> racelab(command), shown);
                assertThat(r.code()).as("%s; stderr: %s", shown, r.err().substring(0, Math.min(300, r.err().length())))
                        .isEqualTo(ExitCode.USAGE);
                assertThat(r.err().strip()).as(shown).startsWith("racelab: ").doesNotContain("\n").hasSizeLessThan(400);
            }
        }
    }
}

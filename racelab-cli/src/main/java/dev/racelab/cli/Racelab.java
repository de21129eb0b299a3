package dev.racelab.cli;

import dev.racelab.internal.cli.ExitCode;
import dev.racelab.internal.cli.Main;
import java.io.PrintWriter;

/**
 * racelab's commands, called from Java as {@code ./racelab} runs them: the same arguments, the same output, the same
 * exit codes. For a test that probes its own application in its own JVM, for example:
 *
 * <pre>{@code
 * int code = Racelab.run(out, err, "probe", "http", "--url", "http://127.0.0.1:" + port, "--total", "200");
 * assertThat(code).isEqualTo(Racelab.FAIL);
 * }</pre>
 */
public final class Racelab {
    /** Every invariant held. */
    public static final int PASS = ExitCode.PASS;
    /** An invariant is broken. */
    public static final int FAIL = ExitCode.FAIL;
    /** Bad input or configuration: nothing ran. */
    public static final int USAGE = ExitCode.USAGE;
    /** The run was aborted: a store or a worker failed it. */
    public static final int ABORTED = ExitCode.ABORTED;

    private Racelab() {
    }

    /**
     * Runs one racelab command line.
     *
     * @param out  where the command's output goes
     * @param err  where its errors and progress go
     * @param args the command and its options, as after {@code ./racelab}
     * @return the exit code: {@link #PASS}, {@link #FAIL}, {@link #USAGE} or {@link #ABORTED}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Main.execute(args, out, err);
    }
}

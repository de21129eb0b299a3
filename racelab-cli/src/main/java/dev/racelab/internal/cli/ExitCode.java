package dev.racelab.internal.cli;

/** What racelab's exit code means. */
public final class ExitCode {
    /** Every invariant held. */
    public static final int PASS = 0;
    /** An invariant is broken: updates were lost, or a floor crossed. */
    public static final int FAIL = 1;
    /** Bad input or configuration: unknown name, bad count, unreachable database. */
    public static final int USAGE = 2;
    /** The run could not finish (a worker died), so there is no verdict. */
    public static final int ABORTED = 3;

    private ExitCode() {
    }
}

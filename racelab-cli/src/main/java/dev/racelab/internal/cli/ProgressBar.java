package dev.racelab.internal.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A long job's progress on stderr. On a terminal, one bar redrawn in place (with the lines the
 * job prints kept above it); elsewhere (a pipe, a CI log) plain lines, one per step, since a
 * carriage return there only makes noise.
 */
final class ProgressBar {
    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private final String command;
    private String lastBar = "";

    ProgressBar(PrintWriter err, boolean terminal) {
        this(err, terminal, "bench");
    }

    /** {@code command} names the job in plain output's lines ("racelab advise: ..."). */
    ProgressBar(PrintWriter err, boolean terminal, String command) {
        this.err = err;
        this.terminal = terminal;
        this.command = command;
    }

    /** Whether stderr is a terminal: Console says so (JDK 22+ asks isTerminal, as a console exists even when redirected). */
    static boolean stderrIsTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }

    /** Redraws the bar: how far, what now, and the ETA. Plain output prints it only when asked to ({@code asLine}). */
    synchronized void show(long done, long total, String now, Duration eta, boolean asLine) {
        String text = String.format(Locale.ROOT, "%s %d/%d runs, %s, ETA %s", bar(done, total), done, total, now, format(eta));
        if (terminal) {
            String padded = text.length() < lastBar.length() ? text + " ".repeat(lastBar.length() - text.length()) : text;
            err.print("\r" + padded);
            lastBar = text;
            err.flush();
        } else if (asLine) {
            err.println("racelab " + command + ": " + text);
            err.flush();
        }
    }

    /** A line kept in the log, above the bar on a terminal. */
    synchronized void line(String text) {
        if (terminal && !lastBar.isEmpty()) err.print("\r" + " ".repeat(lastBar.length()) + "\r");
        err.println(text);
        if (terminal && !lastBar.isEmpty()) err.print(lastBar);
        err.flush();
    }

    synchronized void finish() {
        if (terminal && !lastBar.isEmpty()) {
            err.println();
            lastBar = "";
        }
        err.flush();
    }

    static String bar(long done, long total) {
        int filled = total == 0 ? WIDTH : (int) (done * WIDTH / total);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
    }

    static String format(Duration d) {
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        if (s >= 3600) return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        if (s >= 60) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return s + "s";
    }
}

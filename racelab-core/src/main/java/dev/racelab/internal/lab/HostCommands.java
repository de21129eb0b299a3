package dev.racelab.internal.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the machine's own commands (ip, nft) to their end, with their output. */
final class HostCommands {
    private static final long TIMEOUT_SECONDS = 30;

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private HostCommands() {
    }

    /** Runs the command; a non-zero exit is returned, not thrown. */
    static Result run(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new LabException(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new LabException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Runs the command and fails with its output when it exits non-zero. */
    static String require(List<String> command) {
        Result result = run(command);
        if (!result.ok()) {
            throw new LabException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): " + result.output());
        }
        return result.output();
    }

    static String require(String... command) {
        return require(List.of(command));
    }
}

package dev.racelab.internal.remote;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * OpenSSH's {@code ssh} client, run as a process per remote command: a worker's stdin and stdout
 * are then ssh's, so the worker speaks the same line protocol as on this machine. Every remote
 * command is handed to {@code log} before it runs.
 */
public final class Ssh {
    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    private final SshHosts hosts;
    private final Consumer<String> log;

    public Ssh(SshHosts hosts, Consumer<String> log) {
        this.hosts = hosts;
        this.log = log;
    }

    /** What ssh's run of a command gave: its exit code (255: ssh itself failed), its output and its error output. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** The ssh command line that runs {@code remoteCommand} (a shell line) on {@code target}. */
    public List<String> argv(SshTarget target, String remoteCommand) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
                "-o", "LogLevel=ERROR", "-p", Integer.toString(target.port())));
        if (hosts.key() != null) argv.addAll(List.of("-i", hosts.key().toString(), "-o", "IdentitiesOnly=yes"));
        if (hosts.knownHosts() != null) {
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + hosts.knownHosts(), "-o", "StrictHostKeyChecking=yes"));
        }
        argv.add(target.user() + "@" + target.host());
        argv.add(remoteCommand);
        return argv;
    }

    /** Starts {@code remoteCommand} on {@code target}, logged; its stderr goes to {@code err}. */
    public Process start(SshTarget target, String remoteCommand, Path err) throws IOException {
        log.accept("ssh " + target + ": " + remoteCommand);
        ProcessBuilder b = new ProcessBuilder(argv(target, remoteCommand));
        if (err != null) b.redirectError(err.toFile());
        return b.start();
    }

    /** Runs {@code remoteCommand} to its end with {@code input} (a file, or none) as its stdin. */
    public Result run(SshTarget target, String remoteCommand, Path input) {
        log.accept("ssh " + target + ": " + remoteCommand + (input == null ? "" : " < " + input));
        ProcessBuilder b = new ProcessBuilder(argv(target, remoteCommand))
                .redirectInput(input == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.from(input.toFile()));
        return await(b, remoteCommand);
    }

    /** Runs {@code remoteCommand} with its stdout, bytes as they are, into {@code output}. */
    public Result fetch(SshTarget target, String remoteCommand, Path output) {
        log.accept("ssh " + target + ": " + remoteCommand + " > " + output);
        ProcessBuilder b = new ProcessBuilder(argv(target, remoteCommand)).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return await(b, remoteCommand);
    }

    /** Runs {@code remoteCommand} with the output of {@code local} (a command of this machine) as its stdin: a pipe of two processes. */
    public Result pipeInto(SshTarget target, List<String> local, String remoteCommand) {
        log.accept("ssh " + target + ": " + remoteCommand + " < (" + String.join(" ", local) + ")");
        try {
            List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                    new ProcessBuilder(local).redirectError(ProcessBuilder.Redirect.DISCARD),
                    new ProcessBuilder(argv(target, remoteCommand))));
            return finish(pipeline.get(1), remoteCommand);
        } catch (IOException e) {
            return new Result(255, "", "could not run ssh: " + e.getMessage());
        }
    }

    private Result await(ProcessBuilder b, String remoteCommand) {
        try {
            return finish(b.start(), remoteCommand);
        } catch (IOException e) {
            return new Result(255, "", "could not run ssh: " + e.getMessage());
        }
    }

    private static Result finish(Process p, String remoteCommand) {
        try {
            // stderr on a thread of its own, so neither pipe fills while the other is read
            java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(255, new String(out, StandardCharsets.UTF_8), "ssh did not finish within " + COMMAND_TIMEOUT_SECONDS + " s: " + remoteCommand);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new Result(255, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(255, "", "interrupted");
        }
    }

    /** A word for a remote shell line, in single quotes. */
    public static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

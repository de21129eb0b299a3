package dev.racelab.internal.cli;

import dev.racelab.core.UsageException;
import dev.racelab.internal.lab.LabSshHosts;
import dev.racelab.internal.lab.Labs;
import dev.racelab.core.Clock;
import dev.racelab.internal.remote.SshHosts;
import dev.racelab.internal.run.RemoteWorkers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code racelab run --hosts ... [--ssh-key FILE]}: the hosts the workers run on over ssh. With
 * {@code --lab}, the lab's key and its hosts' keys are the defaults and a host may be named
 * {@code h1}. Every remote command is logged to {@code F.ssh.log} beside {@code --json F}, or
 * to the progress without it.
 */
final class RemoteHostsFlags {
    private RemoteHostsFlags() {
    }

    static RemoteWorkers of(List<String> hosts, Path sshKey, String lab, Path jsonFile, PrintWriter progress) {
        Map<String, String> labHosts = Map.of();
        Path key = sshKey;
        Path knownHosts = null;
        if (lab != null) {
            LabSshHosts access = new Labs(Clock.SYSTEM, line -> { }).sshHosts(lab);
            labHosts = access.addresses();
            if (key == null) key = access.key();
            knownHosts = access.knownHosts();
        }
        if (key != null && !Files.isReadable(key)) throw new UsageException("--ssh-key " + key + " cannot be read");
        SshHosts parsed = SshHosts.parse(hosts, labHosts, key, knownHosts);
        Consumer<String> say = line -> {
            progress.println(line);
            progress.flush();
        };
        return new RemoteWorkers(parsed, log(jsonFile, say), say);
    }

    private static Consumer<String> log(Path jsonFile, Consumer<String> progress) {
        if (jsonFile == null) return line -> progress.accept("racelab: " + line);
        Path file = jsonFile.resolveSibling(jsonFile.getFileName() + ".ssh.log");
        progress.accept("racelab: every remote command is logged to " + file);
        try {
            Files.writeString(file, "", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UsageException("cannot write the ssh log " + file + ": " + e.getMessage(), e);
        }
        return line -> {
            synchronized (RemoteHostsFlags.class) {
                try {
                    Files.writeString(file, java.time.Instant.now() + " " + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    progress.accept("racelab: (the ssh log cannot be written: " + e.getMessage() + ") " + line);
                }
            }
        };
    }
}

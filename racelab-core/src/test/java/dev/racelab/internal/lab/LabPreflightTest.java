package dev.racelab.internal.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab up} refuses in one line, before it changes anything, when a program it needs is missing. */
class LabPreflightTest {
    @TempDir
    Path stateRoot;

    @Test
    void aMissingProgramIsNamedInOneLineAndNothingIsMade() throws Exception {
        String name = "pf" + Long.toHexString(System.nanoTime() & 0xFFFFFL);
        List<String> progress = new ArrayList<>();
        Labs labs = new Labs(stateRoot, Clock.SYSTEM, progress::add);
        List<Preflight.Needed> needed = new ArrayList<>(Preflight.HOSTS);
        needed.add(new Preflight.Needed("racelab-no-such-program", "racelab-no-such-package"));

        assertThatThrownBy(() -> labs.up(name, LabStoreKinds.named("redis-sentinel"), 3, Map.of(), needed))
                .isInstanceOf(UsageException.class) // the command line's exit code 2
                .hasMessage("lab needs racelab-no-such-program (racelab-no-such-package): apt-get install -y"
                        + " racelab-no-such-package (bin/lab-packages installs all a lab needs)");

        assertThat(progress).isEmpty();
        try (var files = Files.list(stateRoot)) {
            assertThat(files).as("state written").isEmpty();
        }
        assertThat(HostNetwork.namespaces()).noneMatch(ns -> ns.startsWith("rl-" + name + "-"));
        assertThat(HostNetwork.links()).doesNotContain("rlb" + Labs.shortHash(name));
        assertThat(Path.of("/etc/netns", "rl-" + name + "-n1")).doesNotExist();
    }

    @Test
    void everyProgramALabNeedsIsFoundOnThisMachine() {
        List<Preflight.Needed> needed = new ArrayList<>(Preflight.HOSTS);
        needed.addAll(LabStoreKinds.named("redis-sentinel").needs());
        assertThat(Preflight.problem(needed)).as("bin/lab-packages installs them").isEmpty();
    }
}

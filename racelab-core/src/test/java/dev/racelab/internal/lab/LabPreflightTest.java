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
        for (LabStoreKind kind : LabStoreKinds.ALL) {
            List<Preflight.Needed> needed = new ArrayList<>(Preflight.HOSTS);
            needed.addAll(kind.needs());
            assertThat(Preflight.problem(needed)).as("%s: bin/lab-packages installs them", kind.name()).isEmpty();
        }
    }

    @Test
    void aProgramKeptOffThePathIsLookedUpWhereItIsAndNamedWithItsPackage() {
        assertThat(Preflight.find(PatroniLab.POSTGRES.toString())).as("PostgreSQL 15's own bin directory").isPresent();
        List<Preflight.Needed> needed = List.of(new Preflight.Needed("/usr/lib/postgresql/99/bin/postgres", "postgresql-99"));
        assertThat(Preflight.problem(needed)).hasValue("lab needs /usr/lib/postgresql/99/bin/postgres (postgresql-99): apt-get install -y"
                + " postgresql-99 (bin/lab-packages installs all a lab needs)");
    }

    @Test
    void theNewKindsCheckTheirOptionsAndFillInTheirDefaults() {
        LabStoreKind patroni = LabStoreKinds.named("postgres-patroni");
        assertThat(patroni.options(Map.of())).isEqualTo(Map.of("synchronous_mode", "false"));
        assertThat(patroni.options(Map.of("synchronous_mode", "true"))).isEqualTo(Map.of("synchronous_mode", "true"));
        assertThatThrownBy(() -> patroni.options(Map.of("synchronous_mode", "yes"))).isInstanceOf(UsageException.class)
                .hasMessage("lab option synchronous_mode is true or false, not 'yes'");
        assertThatThrownBy(() -> patroni.options(Map.of("ttl", "5"))).isInstanceOf(UsageException.class)
                .hasMessage("postgres-patroni has no lab option 'ttl'; it has: synchronous_mode");
        assertThat(patroni.election()).map(LabStoreKind.Election::electors).hasValue("Patroni");
        assertThat(patroni.serverKill()).as("kill-primary acts on it").isPresent();

        LabStoreKind etcd = LabStoreKinds.named("etcd");
        assertThat(etcd.options(Map.of())).isEmpty();
        assertThatThrownBy(() -> etcd.options(Map.of("pre-vote", "false"))).isInstanceOf(UsageException.class)
                .hasMessage("etcd has no lab options; given: pre-vote");
        assertThat(etcd.election()).as("an ensemble runs its own election").isEmpty();
        assertThat(LabStoreKinds.named("redis-sentinel").serverKill()).as("not yet").isEmpty();
    }
}

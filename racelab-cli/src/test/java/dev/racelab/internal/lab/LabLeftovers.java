package dev.racelab.internal.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.json.Json;
import java.io.IOException;
import java.nio.file.Path;

/** What a lab left on this machine, looked up the way an operator would: ip, /proc, the file system. */
final class LabLeftovers {
    private LabLeftovers() {
    }

    static LabState state(String name) throws IOException {
        Path file = LabDirectory.DEFAULT_ROOT.resolve(name).resolve("lab.json");
        assertThat(file).as("the state file of lab %s", name).exists();
        return Json.MAPPER.readValue(file.toFile(), LabState.class);
    }

    /** Nothing the state named is left: no namespace, link, recorded process, /etc/netns entry, data or state. */
    static void assertNothingLeft(LabState lab) {
        String namespaces = HostCommands.require("ip", "netns", "list");
        String links = HostCommands.require("ip", "-o", "link", "show");
        for (LabNode node : lab.namespaced()) { // the store's nodes and the plain hosts
            assertThat(namespaces).as("ip netns list").doesNotContain(node.namespace());
            assertThat(links).as("ip -o link").doesNotContain(node.hostLink() + ":").doesNotContain(node.hostLink() + "@");
            assertThat(Path.of("/etc/netns", node.namespace())).doesNotExist();
        }
        assertThat(links).as("ip -o link").doesNotContain(lab.bridge() + ":");
        for (LabServer s : lab.servers()) {
            assertThat(ProcessIdentity.stillRuns(s.pid(), s.executable(), s.startTime()))
                    .as("the %s on %s, pid %d, still runs", s.role(), s.node(), s.pid()).isFalse();
        }
        for (String dir : lab.dataDirs()) assertThat(Path.of(dir)).doesNotExist();
        assertThat(LabDirectory.DEFAULT_ROOT.resolve(lab.name())).as("the lab's state directory").doesNotExist();
        for (String dir : lab.netnsDirs()) assertThat(Path.of(dir)).doesNotExist();
    }

    static boolean anyServerRuns(LabState lab) {
        return lab.servers().stream().anyMatch(LabServer::alive);
    }

    static String uniqueName(String prefix) {
        return prefix + Long.toHexString(System.nanoTime() & 0xFFFFFFL);
    }
}

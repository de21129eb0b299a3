package dev.racelab.internal.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.cli.ExitCode;
import dev.racelab.internal.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jepsen's Redis case on one machine: the primary cut off with the client on its side keeps
 * acknowledging increments, the Sentinels on the other side promote a replica, and at the heal
 * the old primary rejoins as a replica and drops what it took alone. The cut is made by the
 * nemesis itself at its moment; the promotion is read from the Sentinels, not slept for.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // the bound for a lab test
class LabPartitionTest {
    @Test
    void aPrimaryCutOffWithItsClientLosesAcknowledgedIncrementsAndTheExplanationNamesTheCutAndThePromotion() throws Exception {
        String name = LabLeftovers.uniqueName("pp");
        Path json = Files.createTempFile("racelab-partition-", ".json");
        Path report = Files.createTempFile("racelab-partition-", ".html");
        try {
            LabLifecycleTest.Result up = LabLifecycleTest.racelab("lab", "up", name, "--store", "redis-sentinel");
            assertThat(up.code()).as("lab up: %s %s", up.out(), up.err()).isEqualTo(ExitCode.PASS);

            // the command as written: the load may end its iterations before the promotion
            // (2 s of silence, then an election); the cut comes 1 s in and lasts its whole 10 s anyway
            LabLifecycleTest.Result run = LabLifecycleTest.racelab("run", "--lab", name, "--strategy", "atomic", "--threads", "8",
                    "--iterations", "5000", "--client-hosts", "n1", "--nemesis", "partition-primary", "--nemesis-every", "5s",
                    "--nemesis-for", "10s", "--json", json.toString(), "--report", report.toString());
            assertThat(run.code()).as("run: %s %s", run.out(), run.err()).isEqualTo(ExitCode.FAIL);
            assertThat(run.err()).contains("worker 0 (pid ").contains(") runs on lab host n1")
                    .contains("nemesis: cut off primary n1 (with client host n1) from n2, n3 at ")
                    .contains("nemesis: Sentinel promoted n").contains("nemesis: healed at ")
                    .contains("racelab: the lab settled in ");

            JsonNode result = Json.MAPPER.readTree(json.toFile());
            assertThat(result.get("lostUpdates").asLong()).as("acknowledged increments lost").isPositive();
            List<JsonNode> faults = new ArrayList<>();
            result.get("faults").forEach(faults::add);
            JsonNode cut = faults.stream().filter(f -> f.get("kind").asText().equals("partition-primary")).findFirst().orElseThrow();
            assertThat(cut.get("target").asText()).isEqualTo("primary n1 with client host n1 | n2, n3");
            assertThat(cut.get("endMs").asLong() - cut.get("startMs").asLong()).as("the cut lasted its --nemesis-for")
                    .isGreaterThanOrEqualTo(10_000);
            assertThat(cut.get("failure").isNull()).as("the cut and the heal succeeded: %s", cut).isTrue();
            JsonNode failover = faults.stream().filter(f -> f.get("kind").asText().equals("failover")).findFirst().orElseThrow();
            assertThat(failover.get("target").asText()).isIn("n2", "n3");
            assertThat(failover.get("startMs").asLong()).isGreaterThan(cut.get("startMs").asLong());
            assertThat(run.out()).contains("atomic: FAIL, the primary n1 was cut off with client host n1 from n2, n3 at ")
                    .contains("; Sentinel promoted " + failover.get("target").asText() + " at ")
                    .contains(" acknowledged increments are missing: n1 acknowledged them after the cut, they never reached a replica");

            String html = Files.readString(report);
            assertThat(html).as("the report's timeline: which node was primary when")
                    .contains("n1 was primary from 0 to " + failover.get("startMs").asLong() + " ms")
                    .contains(failover.get("target").asText() + " was primary from " + failover.get("startMs").asLong() + " to ");

            LabState recorded = LabLeftovers.state(name);
            assertThat(recorded.nftTables()).as("the partition's tables, removed at the heal").isEmpty();
            for (LabNode node : recorded.nodes()) {
                assertThat(HostCommands.require("ip", "netns", "exec", node.namespace(), "nft", "list", "ruleset"))
                        .as("the ruleset inside %s after the heal", node.namespace()).isEmpty();
            }
            LabLifecycleTest.Result down = LabLifecycleTest.racelab("lab", "down", name);
            assertThat(down.code()).as(down.err()).isEqualTo(ExitCode.PASS);
            LabLeftovers.assertNothingLeft(recorded);
        } finally {
            LabLifecycleTest.racelab("lab", "down", name);
            Files.deleteIfExists(json);
            Files.deleteIfExists(report);
        }
    }

    @Test
    void clientHostsAndPartitionPrimaryWithoutALabAreRefusedInOneLine() {
        for (String[] args : List.of(
                new String[] {"run", "--strategy", "atomic", "--client-hosts", "n1"},
                new String[] {"run", "--strategy", "atomic", "--nemesis", "partition-primary"},
                new String[] {"run", "--strategy", "lock", "--nemesis", "partition-holder"})) {
            LabLifecycleTest.Result r = LabLifecycleTest.racelab(args);
            assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("racelab: ").contains("needs --lab").doesNotContain("\n");
        }
    }
}

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A MariaDB Galera lab of three nodes, shared by both tests: money moved between accounts while
 * one node is cut off, and a node stopped and started again under load. Each fault begins 1 s
 * into a 10 s load (the lab's first fault, --nemesis-after's default), so it lands while the load
 * runs; the JSON's fault record says when it began, and the tests check it did before the load ended.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // the bound for a lab test
class LabGaleraTest {
    private static String name;

    @BeforeAll
    static void up() {
        name = LabLeftovers.uniqueName("gl");
        LabLifecycleTest.Result up = LabLifecycleTest.racelab("lab", "up", name, "--store", "mariadb-galera");
        assertThat(up.code()).as("lab up: %s %s", up.out(), up.err()).isEqualTo(ExitCode.PASS);
        assertThat(up.out()).contains("mariadb-galera URL: jdbc:mariadb:sequential://");
    }

    @AfterAll
    static void downLeavesNothing() throws Exception {
        if (name == null) return;
        LabState recorded = Files.exists(LabDirectory.DEFAULT_ROOT.resolve(name).resolve("lab.json")) ? LabLeftovers.state(name) : null;
        LabLifecycleTest.Result down = LabLifecycleTest.racelab("lab", "down", name);
        assertThat(down.code()).as(down.err()).isEqualTo(ExitCode.PASS);
        if (recorded != null) LabLeftovers.assertNothingLeft(recorded);
    }

    @Test
    void aTransferRunUnderPartitionOneGivesAVerdictAndRecordsTheCutWithItsSides() throws Exception {
        Path json = Files.createTempFile("racelab-galera-", ".json");
        try {
            LabLifecycleTest.Result run = LabLifecycleTest.racelab("run", "--lab", name, "--scenario", "transfer", "--strategy",
                    "transactional", "--threads", "4", "--seconds", "10", "--nemesis", "partition-one", "--nemesis-for", "4s",
                    "--json", json.toString());
            assertThat(run.code()).as("a verdict, PASS or FAIL: %s %s", run.out(), run.err()).isIn(ExitCode.PASS, ExitCode.FAIL);
            assertThat(run.err()).contains("nemesis: partition-one: cut off n").contains("nemesis: partition-one: healed n");

            JsonNode result = Json.MAPPER.readTree(json.toFile());
            JsonNode cut = faults(result).stream().filter(f -> f.get("kind").asText().equals("partition-one")).findFirst().orElseThrow();
            assertThat(cut.get("target").asText()).as("one node | the others").matches("n[1-3] \\| n[1-3], n[1-3]");
            assertThat(cut.get("startMs").asLong()).as("the cut landed while the load ran").isLessThan(10_000);
            assertThat(cut.get("endMs").asLong() - cut.get("startMs").asLong()).as("it lasted its --nemesis-for").isGreaterThanOrEqualTo(4_000);
            assertThat(cut.get("failure").isNull()).as("the cut and the heal succeeded: %s", cut).isTrue();
            if (run.code() == ExitCode.PASS) {
                assertThat(result.get("actual").asLong()).as("money conserved").isEqualTo(result.get("expected").asLong());
            } else {
                assertThat(result.get("explanation").asText()).as("the loss is named").isNotBlank();
            }

            LabState recorded = LabLeftovers.state(name);
            assertThat(recorded.nftTables()).as("the cut's tables, removed at the heal").isEmpty();
            for (LabNode node : recorded.nodes()) {
                assertThat(HostCommands.require("ip", "netns", "exec", node.namespace(), "nft", "list", "ruleset"))
                        .as("the ruleset inside %s after the heal", node.namespace()).isEmpty();
            }
        } finally {
            Files.deleteIfExists(json);
        }
    }

    @Test
    void aNodeRestartedUnderLoadRejoinsAsTheLabStartedIt() throws Exception {
        Path json = Files.createTempFile("racelab-galera-", ".json");
        try {
            LabState before = LabLeftovers.state(name);
            LabLifecycleTest.Result run = LabLifecycleTest.racelab("run", "--lab", name, "--scenario", "transfer", "--strategy",
                    "transactional", "--threads", "4", "--seconds", "10", "--nemesis", "restart-node", "--nemesis-for", "3s",
                    "--json", json.toString());
            assertThat(run.code()).as("a verdict: %s %s", run.out(), run.err()).isIn(ExitCode.PASS, ExitCode.FAIL);
            JsonNode restart = faults(Json.MAPPER.readTree(json.toFile())).stream()
                    .filter(f -> f.get("kind").asText().equals("restart-node")).findFirst().orElseThrow();
            assertThat(restart.get("failure").isNull()).as("stopped, started and rejoined: %s", restart).isTrue();
            assertThat(restart.get("startMs").asLong()).as("the stop landed while the load ran").isLessThan(10_000);
            String node = restart.get("target").asText().substring(0, 2);

            LabState after = LabLeftovers.state(name);
            LabServer old = before.servers().stream().filter(s -> s.node().equals(node)).findFirst().orElseThrow();
            LabServer now = after.servers().stream().filter(s -> s.node().equals(node)).findFirst().orElseThrow();
            assertThat(now.pid()).as("a new server, recorded in the lab's state").isNotEqualTo(old.pid());
            assertThat(now.alive()).isTrue();
            assertThat(old.alive()).isFalse();
            assertThat(now.command()).as("never a second bootstrap").doesNotContain("--wsrep-new-cluster");
            assertThat(LabStoreKinds.named("mariadb-galera").notReady(after)).as("the cluster is whole again").isEmpty();
        } finally {
            Files.deleteIfExists(json);
        }
    }

    @Test
    void thePrimaryKilledUnderLoadIsFollowedByTheClientsAndStartedAgainAsAJoiner() throws Exception {
        Path json = Files.createTempFile("racelab-galera-", ".json");
        try {
            LabLifecycleTest.Result run = LabLifecycleTest.racelab("run", "--lab", name, "--scenario", "transfer", "--strategy",
                    "transactional", "--threads", "4", "--seconds", "10", "--nemesis", "kill-primary", "--nemesis-for", "3s",
                    "--json", json.toString());
            assertThat(run.code()).as("a verdict: %s %s", run.out(), run.err()).isIn(ExitCode.PASS, ExitCode.FAIL);
            JsonNode result = Json.MAPPER.readTree(json.toFile());
            JsonNode kill = faults(result).stream().filter(f -> f.get("kind").asText().equals("kill-primary")).findFirst().orElseThrow();
            assertThat(kill.get("failure").isNull()).as("killed, started again and rejoined: %s", kill).isTrue();
            assertThat(kill.get("startMs").asLong()).as("the kill landed while the load ran").isLessThan(10_000);
            String primary = kill.get("target").asText().substring("primary ".length(), "primary ".length() + 2);
            assertThat(kill.get("target").asText()).contains(": mariadbd (pid ");
            JsonNode failover = faults(result).stream().filter(f -> f.get("kind").asText().equals("failover")).findFirst().orElseThrow();
            assertThat(failover.get("target").asText()).as("the clients moved to another node").isNotEqualTo(primary);
            if (result.get("verdict").asText().equals("PASS")) {
                assertThat(result.get("actual").asLong()).as("money conserved").isEqualTo(result.get("expected").asLong());
            } else {
                assertThat(result.get("explanation").asText()).as("the loss is named").contains("killed");
            }
            LabState after = LabLeftovers.state(name);
            LabServer now = after.servers().stream().filter(s -> s.node().equals(primary)).findFirst().orElseThrow();
            assertThat(now.alive()).as("started again and recorded").isTrue();
            assertThat(now.command()).as("never a second bootstrap").doesNotContain("--wsrep-new-cluster");
            assertThat(LabStoreKinds.named("mariadb-galera").notReady(after)).as("the cluster is whole again").isEmpty();
        } finally {
            Files.deleteIfExists(json);
        }
    }

    private static List<JsonNode> faults(JsonNode result) {
        List<JsonNode> faults = new ArrayList<>();
        result.get("faults").forEach(faults::add);
        return faults;
    }
}

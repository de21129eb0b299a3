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
 * The lease whose holder sits on the minority side: a ZooKeeper ensemble grants the leases, a
 * PostgreSQL node beside it keeps the cell, and the workers run on the lab hosts n1 and n2. The
 * nemesis asks a worker to hold between its read and its write inside its lease; only once it
 * says "holding" is its host cut off from the ensemble's other nodes (not from the cell's
 * node), for 8 s, while the majority expires the holder's session and grants the lease again.
 * Then the holder writes what it read before the cut: lock loses the other holder's increments,
 * lock-fenced's write is refused by the cell. One lab serves both runs; down leaves nothing.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // the bound for a lab test
class LabPartitionHolderTest {
    private static String name;
    private static LabState made;
    /** The last run's standard output: its table and its sentence. */
    private static String lastOut;

    @BeforeAll
    static void up() throws Exception {
        name = LabLeftovers.uniqueName("ph");
        LabLifecycleTest.Result up = LabLifecycleTest.racelab("lab", "up", name, "--store", "zookeeper-ensemble", "--with", "postgres");
        assertThat(up.code()).as("lab up: %s %s", up.out(), up.err()).isEqualTo(ExitCode.PASS);
        assertThat(up.out()).contains("ready in ").contains("zookeeper-ensemble with postgres on n4")
                .contains("zookeeper-ensemble URL: ").contains("postgres URL: jdbc:postgresql://");
        made = LabLeftovers.state(name);
        assertThat(made.with().nodes()).containsExactly("n4");
        assertThat(made.servers()).extracting(LabServer::role).containsExactly("zookeeper", "zookeeper", "zookeeper", "postgres");
    }

    @AfterAll
    static void down() {
        if (name == null) return;
        LabLifecycleTest.Result down = LabLifecycleTest.racelab("lab", "down", name);
        assertThat(down.code()).as(down.err()).isEqualTo(ExitCode.PASS);
        if (made != null) LabLeftovers.assertNothingLeft(made);
    }

    @Test
    void lockLosesIncrementsWhenItsHolderIsCutOffFromTheEnsemble() throws Exception {
        JsonNode result = run("lock", ExitCode.FAIL);
        assertThat(result.get("lostUpdates").asLong()).as("increments the cut off holder's stale write erased").isPositive();
        assertThat(lastOut).contains("lock: FAIL, worker ").contains(" held the lease on ").contains(" was cut off from the lease store's ")
                .contains("granted it to another worker").contains(" units of acknowledged increments lost");
    }

    @Test
    void lockFencedLosesNothingWhenItsHolderIsCutOffFromTheEnsemble() throws Exception {
        JsonNode result = run("lock-fenced", ExitCode.PASS);
        assertThat(result.get("lostUpdates").asLong()).isZero();
        assertThat(result.get("rejected").get("fenced").asLong()).as("the cut off holder's stale write, refused by the fence").isPositive();
        assertThat(lastOut).contains("lock-fenced: PASS").contains(" was cut off from the lease store's ")
                .contains("its stale write was refused by the fence");
    }

    /** The run, timed to one cut (the first comes 1 s in and lasts 8 s, the load 10 s); the cut's fault checked, the lab healed. */
    private static JsonNode run(String strategy, int expectedExit) throws Exception {
        Path json = Files.createTempFile("racelab-partition-holder-", ".json");
        try {
            LabLifecycleTest.Result run = LabLifecycleTest.racelab("run", "--lab", name, "--lease-store", "zookeeper", "--strategy", strategy,
                    "--instances", "2", "--threads", "2", "--seconds", "10", "--think-ms", "2", "--client-hosts", "n1,n2",
                    "--nemesis", "partition-holder", "--nemesis-every", "4s", "--nemesis-for", "8s", "--json", json.toString());
            assertThat(run.code()).as("run %s: %s %s", strategy, run.out(), run.err()).isEqualTo(expectedExit);
            lastOut = run.out();
            assertThat(run.out()).contains("postgres  " + strategy);
            assertThat(run.err()).contains("counter/postgres+zookeeper/" + strategy).contains("nemesis: cut off client host n")
                    .contains("from the lease store's ").contains("the cell store stays in reach").contains("sent on to its write and the cut healed at ");

            JsonNode result = Json.MAPPER.readTree(json.toFile());
            List<JsonNode> cuts = new ArrayList<>();
            result.get("faults").forEach(f -> {
                if (f.get("kind").asText().equals("partition-holder")) cuts.add(f);
            });
            assertThat(cuts).as("the cut came, at a worker's hold").isNotEmpty();
            JsonNode cut = cuts.getFirst();
            // the host of the worker that said "holding", its lease, and the lease store's other nodes; never the cell's n4
            assertThat(cut.get("target").asText()).matches("client host (n1|n2) \\(and its lease store node\\) with worker [01] \\(pid \\d+\\)"
                    + " holding the lease on run-[0-9a-f]+/counter:1 \\| lease store (n2, n3|n1, n3); the cell store in reach of both");
            assertThat(cut.get("target").asText()).doesNotContain("n4");
            assertThat(cut.get("endMs").asLong() - cut.get("startMs").asLong()).as("the cut lasted its --nemesis-for").isGreaterThanOrEqualTo(8_000);
            assertThat(cut.get("failure").isNull()).as("the cut and the heal succeeded: %s", cut).isTrue();

            LabState now = LabLeftovers.state(name);
            assertThat(now.nftTables()).as("the cut's tables, removed at the heal").isEmpty();
            for (LabNode node : now.nodes()) {
                assertThat(HostCommands.require("ip", "netns", "exec", node.namespace(), "nft", "list", "ruleset"))
                        .as("the ruleset inside %s after the heal", node.namespace()).isEmpty();
            }
            return result;
        } finally {
            Files.deleteIfExists(json);
        }
    }
}

package dev.racelab.internal.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.cli.ExitCode;
import dev.racelab.internal.cli.Main;
import dev.racelab.internal.json.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real lab, as a user makes it: real namespaces, real Redis and Sentinel servers, a Lettuce
 * client in the root namespace that finds the primary through the Sentinels; then down leaves
 * nothing. Needs root (CI runs as root) and bin/lab-packages' packages.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // the bound for a lab test; a hang fails instead of stalling the build
class LabLifecycleTest {
    record Result(int code, String out, String err) {
    }

    static Result racelab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aRedisSentinelLabServesAClientThroughSentinelAndDownLeavesNothing() throws Exception {
        String name = LabLeftovers.uniqueName("lc");
        try {
            Result up = racelab("lab", "up", name, "--store", "redis-sentinel", "--lab-option", "appendfsync=everysec");
            assertThat(up.code()).as("lab up: %s %s", up.out(), up.err()).isEqualTo(ExitCode.PASS);
            assertThat(up.out()).contains("lab " + name + " ready in ").contains("redis-sentinel URL: redis-sentinel://");

            Result status = racelab("lab", "status", name, "--json");
            assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.PASS);
            JsonNode lab = Json.MAPPER.readTree(status.out());
            assertThat(lab.get("name").asText()).isEqualTo(name);
            assertThat(lab.get("store").asText()).isEqualTo("redis-sentinel");
            assertThat(lab.get("phase").asText()).isEqualTo("ready");
            assertThat(lab.get("options").get("appendfsync").asText()).isEqualTo("everysec");
            List<String> addresses = new ArrayList<>();
            for (JsonNode node : lab.get("nodes")) addresses.add(node.get("address").asText());
            assertThat(addresses).hasSize(3).allMatch(a -> a.matches("10\\.213\\.\\d+\\.1[123]"));
            assertThat(lab.get("servers")).hasSize(6).allMatch(s -> s.get("alive").asBoolean());
            String url = lab.get("urls").get("redis-sentinel").asText();
            assertThat(url).isEqualTo("redis-sentinel://" + addresses.get(0) + ":26379," + addresses.get(1) + ":26379,"
                    + addresses.get(2) + ":26379?sentinelMasterId=racelab");
            assertThat(racelab("lab", "status").out()).contains("lab " + name + ": redis-sentinel on ");

            RedisClient client = RedisClient.create(RedisURI.create(url));
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                String key = "racelab:labtest:" + name;
                assertThat(connection.sync().set(key, "written through Sentinel")).isEqualTo("OK");
                assertThat(connection.sync().get(key)).isEqualTo("written through Sentinel");
                assertThat(connection.sync().info("replication")).contains("role:master");
                assertThat(connection.sync().waitForReplication(2, 5000)).as("replicas that acknowledged the write").isEqualTo(2L);

                long before = scriptCalls(connection);
                Result run = racelab("run", "--lab", name, "--strategy", "atomic", "--threads", "4", "--iterations", "250");
                assertThat(run.code()).as("racelab run --lab: %s %s", run.out(), run.err()).isEqualTo(ExitCode.PASS);
                assertThat(run.out()).contains("redis  atomic").contains("PASS");
                assertThat(scriptCalls(connection) - before).as("increments the lab's primary ran").isGreaterThanOrEqualTo(1000);
            } finally {
                client.shutdown();
            }

            LabState recorded = LabLeftovers.state(name);
            assertThat(recorded.servers()).hasSize(6).allMatch(LabServer::alive);
            Result down = racelab("lab", "down", name);
            assertThat(down.code()).as(down.err()).isEqualTo(ExitCode.PASS);
            assertThat(down.out()).contains("lab " + name + " removed: 6 servers stopped, 3 namespaces");
            LabLeftovers.assertNothingLeft(recorded);

            Result again = racelab("lab", "down", name);
            assertThat(again.code()).isEqualTo(ExitCode.PASS);
            assertThat(again.out()).contains("lab " + name + ": nothing to remove");
        } finally {
            racelab("lab", "down", name);
        }
    }

    /** EVALSHA calls the primary served so far: the redis store's increments are Lua scripts. */
    private static long scriptCalls(StatefulRedisConnection<String, String> connection) {
        return connection.sync().info("commandstats").lines().filter(l -> l.startsWith("cmdstat_evalsha:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1"))).orElse(0L);
    }

    @Test
    void badInputIsRefusedInOneLineBeforeAnythingIsMade() {
        String name = LabLeftovers.uniqueName("bi");
        for (String[] args : List.of(
                new String[] {"lab", "up", name, "--store", "no-such-store"},
                new String[] {"lab", "up", "Not_A_Name", "--store", "redis-sentinel"},
                new String[] {"lab", "up", name, "--store", "redis-sentinel", "--lab-option", "appendfsync=sometimes"},
                new String[] {"lab", "up", name, "--store", "redis-sentinel", "--lab-option", "maxmemory=1"},
                new String[] {"lab", "up", name, "--store", "redis-sentinel", "--nodes", "2"},
                new String[] {"lab", "up", name, "--store", "postgres", "--nodes", "2"},
                new String[] {"lab", "up", name, "--store", "zookeeper-ensemble", "--with", "zookeeper-ensemble"},
                new String[] {"lab", "up", name, "--store", "zookeeper-ensemble", "--with", "no-such-store"},
                new String[] {"lab", "up", name, "--store", "zookeeper-ensemble", "--lab-option", "max-session-timeout=10"},
                new String[] {"lab", "down"},
                new String[] {"run", "--lab", name, "--strategy", "atomic"})) {
            Result r = racelab(args);
            assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("racelab: ").doesNotContain("\n");
        }
        assertThat(LabDirectory.DEFAULT_ROOT.resolve(name)).doesNotExist();
        assertThat(HostCommands.require("ip", "netns", "list")).doesNotContain("rl-" + name + "-");
    }

    @Test
    void helpListsTheSubcommands() {
        Result help = racelab("lab", "--help");
        assertThat(help.out()).contains("up ").contains("status ").contains("down ");
    }
}

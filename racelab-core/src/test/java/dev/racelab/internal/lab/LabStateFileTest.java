package dev.racelab.internal.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state file: one written before --with existed still reads, and a lab with a second store shows each kind its own nodes. */
class LabStateFileTest {
    private static final String BEFORE_WITH = """
            {"name":"r","store":"redis-sentinel","phase":"ready","subnet":"10.213.7.0/24","bridge":"rlbabcdef","bridgeAddress":"10.213.7.1",
             "nodes":[{"name":"n1","namespace":"rl-r-n1","address":"10.213.7.11","hostLink":"rlvabcdefn1"}],
             "netnsDirs":["/etc/netns/rl-r-n1"],"dataDirs":["/var/lib/racelab/labs/r/data"],"servers":[],"nftTables":[],
             "options":{},"urls":{"redis-sentinel":"redis-sentinel://10.213.7.11:26379?sentinelMasterId=racelab"},"readySeconds":2.5}
            """;

    @Test
    void aStateFileWrittenBeforeWithExistedReadsAsALabOfOneStore() throws Exception {
        LabState lab = Json.MAPPER.readValue(BEFORE_WITH, LabState.class);
        assertThat(lab.with()).isNull();
        assertThat(lab.storeNodes()).containsExactly("n1");
        assertThat(lab.viewFor("redis-sentinel").nodes()).extracting(LabNode::name).containsExactly("n1");
    }

    @Test
    void aStateFileANewerRacelabWroteReadsWhatThisOneKnows(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) throws Exception {
        java.nio.file.Files.createDirectories(root.resolve("r"));
        java.nio.file.Files.writeString(root.resolve("r/lab.json"), BEFORE_WITH.replace("\"readySeconds\":2.5", "\"readySeconds\":2.5,\"later\":1"));
        assertThat(new LabDirectory(root).read("r")).get().extracting(LabState::name).isEqualTo("r");
    }

    @Test
    void eachStoreOfALabWithASecondStoreSeesItsOwnNodesAndOptions() throws Exception {
        List<LabNode> nodes = List.of(node(1), node(2), node(3), node(4));
        LabServer zk = new LabServer("zookeeper", "n1", 10, "/usr/bin/java", 1, "10.213.7.11", 2181, "/d", "/d/log", List.of());
        LabServer pg = new LabServer("postgres", "n4", 11, "/usr/lib/postgresql/15/bin/postgres", 1, "10.213.7.14", 5432, "/d", "/d/log", List.of());
        LabState lab = new LabState("z", "zookeeper-ensemble", LabState.READY, "10.213.7.0/24", "rlbabcdef", "10.213.7.1", nodes, List.of(),
                List.of(), List.of(zk, pg), List.of(), Map.of("max-session-timeout", "3000"), Map.of(), 1.0,
                new LabState.WithStore("postgres", List.of("n4"), Map.of()));
        LabState read = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(lab), LabState.class);
        assertThat(read).isEqualTo(lab);
        assertThat(read.storeNodes()).containsExactly("n1", "n2", "n3");
        LabState zkView = read.viewFor("zookeeper-ensemble");
        assertThat(zkView.nodes()).extracting(LabNode::name).containsExactly("n1", "n2", "n3");
        assertThat(zkView.servers()).containsExactly(zk);
        assertThat(zkView.options()).containsEntry("max-session-timeout", "3000");
        LabState pgView = read.viewFor("postgres");
        assertThat(pgView.store()).isEqualTo("postgres");
        assertThat(pgView.nodes()).extracting(LabNode::name).containsExactly("n4");
        assertThat(pgView.servers()).containsExactly(pg);
        assertThat(pgView.options()).isEmpty();
    }

    private static LabNode node(int i) {
        return new LabNode("n" + i, "rl-z-n" + i, "10.213.7." + (10 + i), "rlvabcdefn" + i);
    }
}

package dev.racelab.internal.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** racelab list's partition and failover columns come from the lab tests: each entry names a test or page that exists. */
class LabFaultModelTest {
    @Test
    void everyMeasuredEntryNamesATestOrAPageThatExists() {
        Map<String, List<LabFaultModel>> measured = Labs.measuredFaults();
        assertThat(measured.get("redis-sentinel")).as("the Sentinel lab's, which LabPartitionTest shows").isNotEmpty();
        for (List<LabFaultModel> models : measured.values()) {
            for (LabFaultModel m : models) {
                String source = m.shownBy().split("[:\\s]", 2)[0];
                Path where = source.endsWith(".md") ? Repo.path(source)
                        : Repo.path("racelab-cli/src/test/java/dev/racelab/internal/lab/" + source + ".java");
                assertThat(Files.exists(where)).as("%s names %s", m.describe(), where).isTrue();
            }
        }
    }
}

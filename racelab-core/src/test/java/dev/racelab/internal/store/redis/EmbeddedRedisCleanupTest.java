package dev.racelab.internal.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** An embedded Redis leaves nothing behind in the temp directory once it is closed, data and configuration alike. */
class EmbeddedRedisCleanupTest {

    @Test
    void closingTheServerRemovesItsDirectoryWithItsDataAndConfiguration() throws Exception {
        Path dir;
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(RedisPersistence.AOF_ALWAYS)) {
            dir = redis.directory();
            assertThat(dir).isDirectory();
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("its configuration lives here, not in /tmp")
                        .anyMatch(name -> name.endsWith(".conf"));
            }
        }
        assertThat(dir).doesNotExist();
    }
}

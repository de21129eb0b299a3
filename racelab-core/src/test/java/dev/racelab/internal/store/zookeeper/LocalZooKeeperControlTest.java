package dev.racelab.internal.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;

/** The ZooKeeper bin/start-services runs is controlled through a pid file nobody else could have written. */
class LocalZooKeeperControlTest {

    @Test
    void itsPidFileLiesWhereOnlyRootMayWrite() throws Exception {
        for (Path dir = Path.of(LocalZooKeeperControl.HOME); dir != null; dir = dir.getParent()) {
            assertThat(Files.getPosixFilePermissions(dir)).as("%s", dir).doesNotContain(PosixFilePermission.OTHERS_WRITE);
        }
    }

    @Test
    void theRunningZooKeeperIsKnownByItsPidFileAndCanBePaused() {
        var control = LocalZooKeeperControl.forConnectString("127.0.0.1:2181");
        assertThat(control).as("bin/start-services runs ZooKeeper from " + LocalZooKeeperControl.HOME).isPresent();
        assertThat(control.orElseThrow().whyItCannotPause()).isEmpty();
    }
}

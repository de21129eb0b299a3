package dev.racelab.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.cli.Main;
import dev.racelab.store.extra.ExtraStoreProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store registered the way CONTRIBUTING.md says, with no other file changed: its provider
 * class and one services line (here in a class loader of the test's own, so that no other
 * test sees it). It appears in racelab list, in every command's --help, and in validation.
 */
class ExtraStoreTest {
    record Result(int code, String out, String err) {
    }

    @Test
    void aRegisteredStoreAppearsInListHelpAndValidation(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services/dev.racelab.store.StoreProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, ExtraStoreProvider.class.getName() + "\n");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader withExtra = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(withExtra);
            assertThat(StoreRegistry.current().names()).contains("postgres", "redis", ExtraStoreProvider.NAME);

            assertThat(racelab("list").out()).contains(ExtraStoreProvider.NAME).contains("only the tests register");
            for (String command : List.of("run", "demo", "serve", "populate")) {
                assertThat(racelab(command, "--help").out()).as(command + " --help").contains(ExtraStoreProvider.NAME);
            }
            Result unfit = racelab("run", "--store", ExtraStoreProvider.NAME, "--strategy", "pessimistic");
            assertThat(unfit.code()).isEqualTo(2);
            assertThat(unfit.err()).contains("needs [").contains("TX").contains("'" + ExtraStoreProvider.NAME + "'");
            Result noLease = racelab("run", "--store", ExtraStoreProvider.NAME, "--strategy", "lock");
            assertThat(noLease.code()).isEqualTo(2);
            assertThat(noLease.err()).contains("LEASE").contains("--lease-store");
            assertThat(racelab("run", "--store", "nowhere", "--strategy", "atomic").err()).contains(ExtraStoreProvider.NAME);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        assertThat(StoreRegistry.current().names()).as("gone with its class loader").doesNotContain(ExtraStoreProvider.NAME);
        assertThat(racelab("list").out()).doesNotContain(ExtraStoreProvider.NAME);
    }

    private static Result racelab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}

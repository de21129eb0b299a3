package dev.racelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's commands, and bad input refused in one line before any step runs. */
class ProbeSqlCommandTest {
    record Result(int code, String out, String err) {
        void isOneLineUsageError(String mentioning) {
            assertThat(code).as("exit code; stderr: %s", err).isEqualTo(ExitCode.USAGE);
            assertThat(err.strip()).doesNotContain("\n").startsWith("racelab: ").contains(mentioning);
        }
    }

    private static Result racelab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void theReadmeCommandsGiveTheirVerdicts() {
        Result lost = racelab("probe", "sql", "examples/probe/deposit-read-then-write.yaml", "--store", "postgres");
        assertThat(lost.code()).as(lost.err()).isEqualTo(ExitCode.FAIL);
        assertThat(lost.out()).contains("FAIL: 4 of 6 interleavings lose an update, for example: s1.read s2.read s1.write s2.write");
        assertThat(lost.out().lines().filter(l -> l.endsWith("FAIL"))).hasSize(4);
        Result locked = racelab("probe", "sql", "examples/probe/deposit-for-update.yaml", "--store", "mysql");
        assertThat(locked.code()).as(locked.err()).isEqualTo(ExitCode.PASS);
        assertThat(locked.out()).contains("PASS: none of the 6 interleavings lose an update");
    }

    @Test
    void badSpecsAreOneLineErrorsBeforeAnyStep(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "sessions:\n  s1: {steps: {read: SELECT 1}\n");
        racelab("probe", "sql", broken.toString(), "--store", "postgres").isOneLineUsageError(broken + ":3:1: not valid YAML");
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, Files.readString(Path.of("examples/probe/deposit-read-then-write.yaml"))
                + "permutations:\n  - s1.read s3.write\n");
        racelab("probe", "sql", unknown.toString(), "--store", "postgres").isOneLineUsageError("unknown session 's3'");
        racelab("probe", "sql", dir.resolve("none.yaml").toString()).isOneLineUsageError("no spec file");
        racelab("probe", "sql", "examples/probe/deposit-read-then-write.yaml", "--store", "redis").isOneLineUsageError("needs a SQL store");
        racelab("probe", "sql", "examples/probe/deposit-read-then-write.yaml", "--store", "postgres",
                "--postgres-url", "jdbc:postgresql://127.0.0.1:1/test?user=postgres").isOneLineUsageError("cannot connect to postgres");
    }

    @Test
    void loadModeIsRefusedRatherThanPretended() {
        racelab("probe", "sql", "examples/probe/deposit-read-then-write.yaml", "--mode", "load", "--threads", "4")
                .isOneLineUsageError("--mode load is not built yet");
    }

    @Test
    void isolationNamesAnUnknownAnomaly() {
        racelab("isolation", "--anomaly", "G9").isOneLineUsageError("unknown anomaly 'G9'");
    }
}

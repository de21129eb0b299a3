package dev.racelab.internal.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How racelab starts a worker JVM: the same java binary and class path as this JVM, and the
 * flags of {@link #options(int)}. {@code racelab run}'s workers and {@code probe sql}'s load
 * workers are started alike, so RACELAB_WORKER_OPTS governs both.
 */
public final class WorkerJvm {
    public static final String WORKER_OPTS_ENV = "RACELAB_WORKER_OPTS";

    private WorkerJvm() {
    }

    /** The command line that runs {@code mainClass} with {@code args} in a worker JVM, one of {@code instances}. */
    public static List<String> command(String mainClass, int instances, List<String> args) {
        return command(javaBinary(), System.getProperty("java.class.path"), mainClass, instances, args);
    }

    /** As {@link #command(String, int, List)}, with the java binary and class path given: a worker on another host. */
    public static List<String> command(String javaBinary, String classPath, String mainClass, int instances, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary);
        cmd.addAll(options(instances));
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * When worker JVMs outnumber the cores, they would spend the run compiling against
     * each other and the database: C1 alone warms up in a fraction of the time (20
     * workers on 2 cores: 2,482 against 1,645 ops/s). With fewer workers, C2's faster code
     * wins. RACELAB_WORKER_OPTS replaces these flags.
     */
    static List<String> options(int instances) {
        List<String> options = new ArrayList<>();
        // JDK 23+ warns when netty (the Redis and DynamoDB clients) uses sun.misc.Unsafe; 21 has no such flag.
        if (Runtime.version().feature() >= 23) options.add("--sun-misc-unsafe-memory-access=allow");
        String custom = System.getenv(WORKER_OPTS_ENV);
        if (custom != null && !custom.isBlank()) {
            options.addAll(List.of(custom.trim().split("\\s+")));
            return options;
        }
        // 256 MB: a worker's live heap is at most about 80 MB (10,000 buyers of a flash sale), and the
        // cap is what bounds its resident memory on a long run: with 512 MB, a 600 s soak's workers
        // reached 461 and 580 MB, their old generation full of garbage that young collections had
        // promoted and no full collection had yet needed to reclaim.
        options.addAll(List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms64m", "-Xmx256m"));
        if (instances > Runtime.getRuntime().availableProcessors()) options.add("-XX:TieredStopAtLevel=1");
        return options;
    }

    /** The java binary this JVM runs on. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

package dev.racelab.internal.remote;

import dev.racelab.core.UsageException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * racelab's classes on a host, in a directory of racelab's own ({@code ~/.racelab} of the remote
 * user): each jar of this JVM's class path under {@code jars/SHA-256.jar}, copied only when the
 * host has no file of that name whose SHA-256 is that (checked there, by {@code sha256sum}); a
 * class directory (a build's target/classes) is packed into a jar first, with fixed times, so
 * the same classes give the same hash. A run's own files go under {@code runs/RUN}, removed at its end.
 *
 * <p>The worker runs on the JDK this racelab runs on, at the same path: {@code java -version}
 * there must name the same version, or the host is refused before anything starts.
 */
public final class RemoteInstall {
    public static final String HOME_DIR = ".racelab";
    private static final Map<String, Jar> HASHED = new ConcurrentHashMap<>();

    private final Ssh ssh;
    private final List<Jar> jars;
    private final String javaBinary;

    /** One class path entry as a jar file of this machine, and its SHA-256. */
    record Jar(Path file, String sha256) {
        String remoteName() {
            return sha256 + ".jar";
        }
    }

    /** What preparing one host found and did. */
    public record Prepared(SshTarget target, String javaVersion, int jarsPresent, int jarsCopied, long bytesCopied, double seconds) {
    }

    public RemoteInstall(Ssh ssh, String javaBinary, String classPath) {
        this.ssh = ssh;
        this.javaBinary = javaBinary;
        this.jars = jars(classPath);
    }

    /** The class path as the worker uses it on a host, relative to a run's directory there. */
    public String remoteClassPath() {
        return String.join(":", jars.stream().map(j -> "../../jars/" + j.remoteName()).toList());
    }

    public String javaBinary() {
        return javaBinary;
    }

    /**
     * Checks that ssh reaches the host, that it has this JDK at the same path, and copies the jars it
     * lacks. A host that refuses ssh, or lacks the JDK, is a {@link UsageException} of one line naming it.
     */
    public Prepared prepare(SshTarget target) {
        long begin = System.nanoTime();
        StringBuilder probe = new StringBuilder();
        probe.append(Ssh.quote(javaBinary)).append(" -version 2>&1 | head -n 1; echo RACELAB-JARS; mkdir -p ").append(HOME_DIR)
                .append("/jars && cd ").append(HOME_DIR).append("/jars && for f in");
        for (Jar j : jars) probe.append(' ').append(j.remoteName());
        probe.append("; do [ -f \"$f\" ] && sha256sum \"$f\"; done; true");
        Ssh.Result r = ssh.run(target, probe.toString(), null);
        if (r.exitCode() == 255) throw new UsageException("host " + target + " refuses SSH: " + firstLine(r.err()));
        if (!r.ok()) throw new UsageException("host " + target + ": the check over SSH failed (exit " + r.exitCode() + "): " + firstLine(r.err()));
        String[] parts = r.out().split("RACELAB-JARS\n?", 2);
        String version = parts[0].strip();
        String expected = "\"" + System.getProperty("java.version") + "\"";
        if (!version.contains(expected)) {
            throw new UsageException("host " + target + " has no JDK " + System.getProperty("java.version") + " at " + javaBinary
                    + " (racelab's workers run on the JDK racelab runs on, at the same path); java -version there says: "
                    + (version.isEmpty() ? "nothing" : firstLine(version)));
        }
        Map<String, String> present = new LinkedHashMap<>();
        for (String line : (parts.length > 1 ? parts[1] : "").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) present.put(f[1], f[0]);
        }
        List<Jar> missing = jars.stream().filter(j -> !j.sha256().equals(present.get(j.remoteName()))).toList();
        long bytes = 0;
        if (!missing.isEmpty()) bytes = copy(target, missing);
        return new Prepared(target, firstLine(version), jars.size() - missing.size(), missing.size(), bytes, (System.nanoTime() - begin) / 1e9);
    }

    /** One tar stream of the missing jars, named by hash, unpacked into a directory of its own and moved into place whole. */
    private long copy(SshTarget target, List<Jar> missing) {
        Path staging = null;
        try {
            staging = Files.createTempDirectory("racelab-jars-");
            List<String> tar = new ArrayList<>(List.of("tar", "-C", staging.toString(), "-chf", "-"));
            long bytes = 0;
            for (Jar j : missing) {
                Files.createSymbolicLink(staging.resolve(j.remoteName()), j.file().toAbsolutePath());
                tar.add(j.remoteName());
                bytes += Files.size(j.file());
            }
            String unpack = "cd " + HOME_DIR + "/jars && t=$(mktemp -d incoming.XXXXXX) && tar -C \"$t\" -xf - && mv \"$t\"/* . && rmdir \"$t\"";
            Ssh.Result r = ssh.pipeInto(target, tar, unpack);
            if (!r.ok()) throw new UsageException("host " + target + ": copying racelab's jars failed (exit " + r.exitCode() + "): " + firstLine(r.err()));
            return bytes;
        } catch (IOException e) {
            throw new UsageException("cannot stage racelab's jars for " + target + ": " + e.getMessage(), e);
        } finally {
            deleteTree(staging);
        }
    }

    private static String firstLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static List<Jar> jars(String classPath) {
        List<Jar> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path p = Path.of(entry);
            if (Files.isRegularFile(p)) jars.add(hashed(p));
            else if (Files.isDirectory(p)) jars.add(hashed(packed(p)));
        }
        return jars;
    }

    private static Jar hashed(Path file) {
        try {
            String key = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
            return HASHED.computeIfAbsent(key, k -> new Jar(file, sha256(file)));
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new UsageException("cannot hash " + file + ": " + e.getMessage(), e);
        }
    }

    /** A class directory as a jar with sorted entries and fixed times: the same classes, the same bytes, the same hash. */
    private static Path packed(Path dir) {
        try {
            Path jar = Files.createTempFile("racelab-classes-", ".jar");
            jar.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                 Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                    JarEntry e = new JarEntry(dir.relativize(p).toString().replace(File.separatorChar, '/'));
                    e.setLastModifiedTime(FileTime.fromMillis(0));
                    zip.putNextEntry(e);
                    Files.copy(p, zip);
                    zip.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UsageException("cannot pack " + dir + " into a jar: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) return;
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}

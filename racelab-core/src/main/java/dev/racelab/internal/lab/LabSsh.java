package dev.racelab.internal.lab;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * A lab's plain hosts (h1, ...): namespaces on the lab's bridge like the store's nodes, each
 * running OpenSSH's sshd on port 22 of its own address, with a host key of its own and one
 * authorized key that racelab makes for the lab (root logs in by that key only). The client's
 * key pair and a known_hosts file naming every host's key live in the lab's state directory, so
 * {@code racelab run --lab NAME --hosts ...} checks each host's key strictly.
 */
final class LabSsh {
    /** Host i's address ends in {@code .(FIRST_HOST_OCTET + i)}: beside the store's nodes, which end in .11 to .19. */
    static final int FIRST_HOST_OCTET = 20;
    static final String ROLE = "sshd";
    static final List<Preflight.Needed> NEEDS = List.of(new Preflight.Needed("sshd", "openssh-server"),
            new Preflight.Needed("ssh-keygen", "openssh-client"), new Preflight.Needed("ssh", "openssh-client"));
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    /** sshd refuses to start without its privilege separation directory; Debian's package makes it only when its service starts. */
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");

    private LabSsh() {
    }

    static Path clientKey(Path labDir) {
        return labDir.resolve("ssh").resolve("id_ed25519");
    }

    static Path knownHosts(Path labDir) {
        return labDir.resolve("ssh").resolve("known_hosts");
    }

    /** Makes the keys, writes each host's sshd_config and starts its sshd (recorded by pid like every lab server), then waits for their banners. */
    static void start(LabState lab, Path labDir, Path dataRoot, LabStoreKind.Starter starter) {
        Path key = clientKey(labDir);
        try {
            Files.createDirectories(key.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (!Files.exists(key)) keygen(key, "racelab-lab-" + lab.name());
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(key.resolveSibling("id_ed25519.pub"), PosixFilePermissions.fromString("rw-------"));
            Files.createDirectories(PRIVSEP_DIR);
            String authorized = Files.readString(key.resolveSibling("id_ed25519.pub"));
            StringBuilder known = new StringBuilder();
            for (LabNode host : lab.hosts()) {
                Path dir = dataRoot.resolve(host.name() + "-sshd");
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path hostKey = dir.resolve("ssh_host_ed25519_key");
                if (!Files.exists(hostKey)) keygen(hostKey, "racelab-lab-" + lab.name() + "-" + host.name());
                Path authorizedKeys = dir.resolve("authorized_keys");
                Files.writeString(authorizedKeys, authorized);
                Files.setPosixFilePermissions(authorizedKeys, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(dir.resolve("sshd_config"), config(host, dir, hostKey, authorizedKeys));
                String[] pub = Files.readString(hostKey.resolveSibling("ssh_host_ed25519_key.pub")).trim().split("\\s+");
                known.append(host.address()).append(' ').append(pub[0]).append(' ').append(pub[1]).append('\n');
            }
            Path knownHosts = knownHosts(labDir);
            Files.writeString(knownHosts, known.toString());
            Files.setPosixFilePermissions(knownHosts, PosixFilePermissions.fromString("rw-------"));
            for (LabNode host : lab.hosts()) {
                Path dir = dataRoot.resolve(host.name() + "-sshd");
                // -D: in the foreground, so the recorded pid is the listener's; -e: its log to stderr, which is the server's log file
                starter.start(ROLE, host, SSHD, List.of("-D", "-e", "-f", dir.resolve("sshd_config").toString()), dir, 22);
            }
        } catch (IOException e) {
            throw new LabException("lab " + lab.name() + ": cannot prepare its ssh hosts: " + e.getMessage(), e);
        }
        starter.await(() -> notReady(lab));
    }

    private static String config(LabNode host, Path dir, Path hostKey, Path authorizedKeys) {
        return String.join("\n",
                "# racelab lab host " + host.name() + ": root by the lab's key only",
                "ListenAddress " + host.address() + ":22",
                "HostKey " + hostKey,
                "PidFile none",
                "AuthorizedKeysFile " + authorizedKeys,
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "UseDNS no",
                "X11Forwarding no",
                "AllowTcpForwarding no",
                "PrintMotd no",
                "MaxStartups 64",
                "MaxSessions 64",
                "Subsystem sftp internal-sftp",
                "") ;
    }

    private static void keygen(Path file, String comment) {
        HostCommands.require("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file.toString());
    }

    /** Empty once every host's sshd greets with its banner. */
    static Optional<String> notReady(LabState lab) {
        for (LabNode host : lab.hosts()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host.address(), 22), 1000);
                socket.setSoTimeout(1000);
                InputStream in = socket.getInputStream();
                byte[] banner = in.readNBytes(4);
                if (!new String(banner, StandardCharsets.US_ASCII).equals("SSH-")) {
                    return Optional.of("sshd on " + host.name() + " does not greet with an SSH banner yet");
                }
            } catch (IOException e) {
                return Optional.of("sshd on " + host.name() + " does not answer on " + host.address() + ":22 yet");
            }
        }
        return Optional.empty();
    }
}

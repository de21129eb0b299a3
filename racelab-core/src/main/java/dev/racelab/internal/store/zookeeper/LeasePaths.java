package dev.racelab.internal.store.zookeeper;

import java.nio.charset.StandardCharsets;

/**
 * Where a lease lives: {@code /racelab/leases/} plus its name, percent-encoded. Names hold
 * '/' (a ZooKeeper path separator) and ':'; only ASCII letters, digits, '-' and '_' are kept as
 * they are and every other UTF-8 byte becomes {@code %XX}, so two names never share a node, no
 * name becomes "." or "..", and none holds a character ZooKeeper refuses in a path.
 */
final class LeasePaths {
    static final String ROOT = "/racelab/leases";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private LeasePaths() {
    }

    static String of(String leaseName) {
        if (leaseName.isEmpty()) throw new IllegalArgumentException("a lease needs a name");
        StringBuilder path = new StringBuilder(ROOT.length() + 1 + leaseName.length() * 2).append(ROOT).append('/');
        for (byte b : leaseName.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                path.append(c);
            } else {
                path.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return path.toString();
    }
}

package dev.racelab.internal.remote;

import dev.racelab.core.UsageException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A host a worker runs on, as ssh reaches it: {@code user@host[:port]}. */
public record SshTarget(String user, String host, int port) {
    private static final Pattern FORM = Pattern.compile("(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9._-]+)(?::(\\d{1,5}))?");

    public SshTarget {
        if (user == null || user.isBlank() || host == null || host.isBlank()) throw new IllegalArgumentException("user and host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
    }

    /** {@code user@host[:port]}; without a user, {@code defaultUser}. */
    public static SshTarget parse(String text, String defaultUser) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new UsageException("--hosts: '" + text + "' is not user@host[:port] (for example root@10.213.1.21 or deploy@load1:2222)");
        }
        String user = m.group(1) != null ? m.group(1) : defaultUser;
        int port = m.group(3) != null ? Integer.parseInt(m.group(3)) : 22;
        if (port < 1 || port > 65535) throw new UsageException("--hosts: '" + text + "' names port " + port + ", outside 1 to 65535");
        return new SshTarget(user, m.group(2), port);
    }

    /** As the output names it: {@code root@10.213.1.21}, with {@code :port} when it is not 22. */
    @Override
    public String toString() {
        return user + "@" + host + (port == 22 ? "" : ":" + port);
    }
}

package dev.racelab.internal.probe.http;

import dev.racelab.core.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A route as the flags write it: {@code 'POST /deposit/1'}, or a bare path for GET. */
public record Call(String method, String path) {
    private static final Pattern SHAPE = Pattern.compile("(?:([A-Za-z]+)\\s+)?(\\S+)");

    public Call {
        if (!method.matches("[A-Z]+")) throw new UsageException("not an HTTP method: '" + method + "'");
    }

    /** Parses {@code text}; {@code flag} names it in errors. */
    public static Call parse(String flag, String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) throw new UsageException(flag + " must look like 'POST /path', was '" + text + "'");
        String method = m.group(1) == null ? "GET" : m.group(1).toUpperCase(java.util.Locale.ROOT);
        String path = m.group(2);
        if (!path.startsWith("/")) throw new UsageException(flag + ": the path must start with /, was '" + path + "'");
        try {
            URI uri = new URI("http://h" + path);
            if (uri.getRawFragment() != null) throw new UsageException(flag + ": the path must not have a #fragment: '" + path + "'");
        } catch (URISyntaxException e) {
            throw new UsageException(flag + ": '" + path + "' is not a valid path (" + e.getReason() + ")");
        }
        return new Call(method, path);
    }

    /** Whether this method sends a body. */
    public boolean hasBody() {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE");
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}

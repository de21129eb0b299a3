package dev.racelab.internal.probe.http;

import dev.racelab.core.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The server's URL from --url: scheme://host[:port][/prefix], and the URIs of paths under it. */
public final class BaseUrl {
    private BaseUrl() {
    }

    public static URI parse(String url) {
        if (url == null || url.isBlank()) throw new UsageException("--url is required");
        URI base;
        try {
            base = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new UsageException("--url is not a URL: '" + url + "' (" + e.getReason() + ")");
        }
        check(base);
        return base;
    }

    public static void check(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UsageException("--url must start with http:// or https://, was '" + url + "'");
        }
        if (url.getHost() == null) throw new UsageException("--url has no host: '" + url + "'");
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new UsageException("--url must be scheme://host[:port][/prefix], was '" + url + "'");
        }
    }

    /** The text of a path under the base URL's prefix. */
    public static String join(URI base, String path) {
        String prefix = base.toString();
        while (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
        return prefix + path;
    }

    public static URI resolve(URI base, String path) {
        return URI.create(join(base, path));
    }
}

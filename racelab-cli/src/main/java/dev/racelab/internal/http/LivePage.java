package dev.racelab.internal.http;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The live page's files, from the jar: the page at {@code /}, its script, style sheet and icon
 * under {@code /live/}. Nothing comes from anywhere else, and the Content-Security-Policy says
 * so to the browser: scripts, styles, images and connections from this origin only, no inline
 * script or style, no frames, no form posts.
 */
final class LivePage {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String DIR = "/dev/racelab/internal/http/live/";
    /** Each file by the path it is served at, with its type; nothing else under /live/ exists. */
    private static final Map<String, Asset> FILES = Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/live/live.js", load("live.js", "text/javascript; charset=utf-8"),
            "/live/live.css", load("live.css", "text/css; charset=utf-8"),
            "/live/favicon.svg", load("favicon.svg", "image/svg+xml"));

    private record Asset(byte[] bytes, String type) {
    }

    private LivePage() {
    }

    static Iterable<String> paths() {
        return FILES.keySet();
    }

    static void serve(Context ctx) {
        Asset asset = FILES.get(ctx.path());
        if (asset == null) {
            ctx.status(404).contentType("application/json").result("{\"error\":\"no file " + ctx.path().replace("\"", "") + "\"}");
            return;
        }
        secure(ctx.res());
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(asset.type()).result(asset.bytes());
    }

    /** The headers every live response carries. */
    static void secure(HttpServletResponse res) {
        res.setHeader("Content-Security-Policy", CSP);
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Referrer-Policy", "no-referrer");
    }

    private static Asset load(String name, String type) {
        try (InputStream in = LivePage.class.getResourceAsStream(DIR + name)) {
            if (in == null) throw new IllegalStateException("the jar has no " + DIR + name);
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

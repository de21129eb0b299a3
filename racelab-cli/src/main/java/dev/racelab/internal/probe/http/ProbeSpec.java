package dev.racelab.internal.probe.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.UsageException;
import dev.racelab.internal.input.OutsideNumbers;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One probe of the user's own endpoint, checked when it is built, so that bad input is
 * refused before any request is sent. The delta is fixed ({@code delta}) or read from each
 * request's body ({@code deltaFrom}); exactly one of them is set.
 *
 * @param value     the path to the number in the read's answer; null: the whole body is the number
 * @param body      null for a request without one
 * @param floor     only for {@link Expect#FLOOR}
 * @param keyFrom   only for {@link Expect#ONCE}: the path to each request's key in its body
 * @param okWhen    null: every --ok status acknowledges
 */
public record ProbeSpec(URI baseUrl, Call request, Template body, List<HeaderTemplate> headers, Call read, JsonPath value,
                        Expect expect, BigDecimal delta, JsonPath deltaFrom, BigDecimal floor, JsonPath keyFrom,
                        OkWhen okWhen, StatusClasses statuses, List<Call> setup, int requests, int concurrency,
                        Duration timeout) {
    public static final String DEFAULT_URL = "http://127.0.0.1:3000";
    /** Each request's body is parsed only when a path reads from it; beyond this its text is not worth keeping. */
    public static final int MAX_REQUESTS = 100_000_000;

    public ProbeSpec {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(statuses, "statuses");
        Objects.requireNonNull(timeout, "timeout");
        headers = List.copyOf(headers);
        setup = List.copyOf(setup);
        BaseUrl.check(baseUrl);
        if (requests < 1 || requests > MAX_REQUESTS) throw new UsageException("--requests must be between 1 and " + MAX_REQUESTS + ", was " + requests);
        if (concurrency < 1) throw new UsageException("--concurrency must be at least 1, was " + concurrency);
        if (concurrency > 10_000) throw new UsageException("--concurrency must be at most 10000 (one connection each), was " + concurrency);
        if (!timeout.isPositive()) throw new UsageException("--timeout-ms must be at least 1");
        if ((delta == null) == (deltaFrom == null)) {
            throw new UsageException(delta == null ? "--expect " + expect + " needs --delta N or --delta-from body.PATH"
                    : "give --delta or --delta-from, not both");
        }
        if (delta != null && !OutsideNumbers.fits(delta)) {
            throw new UsageException("--delta is out of range: " + OutsideNumbers.show(delta) + " (" + OutsideNumbers.LIMITS + ")");
        }
        if (floor != null && !OutsideNumbers.fits(floor)) {
            throw new UsageException("--floor is out of range: " + OutsideNumbers.show(floor) + " (" + OutsideNumbers.LIMITS + ")");
        }
        if (delta != null && delta.signum() == 0) throw new UsageException("--delta must not be 0: the probe checks what each request changes");
        if (expect == Expect.FLOOR && delta != null && delta.signum() > 0) {
            throw new UsageException("--expect floor checks takes: --delta must be negative (e.g. -1), was " + delta.toPlainString());
        }
        if (expect == Expect.FLOOR && floor == null) throw new UsageException("--expect floor needs --floor N");
        if (expect != Expect.FLOOR && floor != null) throw new UsageException("--floor goes with --expect floor");
        if (expect == Expect.ONCE && keyFrom == null) throw new UsageException("--expect once needs --key-from body.PATH");
        if (expect != Expect.ONCE && keyFrom != null) throw new UsageException("--key-from goes with --expect once");
        if (body != null && !request.hasBody()) throw new UsageException("--body: " + request.method() + " requests carry no body");
        if ((deltaFrom != null || keyFrom != null) && body == null) {
            throw new UsageException((deltaFrom != null ? "--delta-from" : "--key-from") + " reads the request's --body, and there is none");
        }
    }

    /** Builds a spec from the command line's text. */
    public static ProbeSpec fromFlags(String url, String request, String body, List<String> headers, String read, String value,
                                      String expect, BigDecimal delta, String deltaFrom, BigDecimal floor, String keyFrom,
                                      String okWhen, String ok, String rejected, List<String> setup, int requests,
                                      int concurrency, long timeoutMs) {
        URI base = BaseUrl.parse(url);
        ProbeSpec spec = build(base, request, body, headers, read, value, expect, delta, deltaFrom, floor, keyFrom, okWhen, ok,
                rejected, setup, requests, concurrency, timeoutMs);
        spec.checkSampleBody();
        return spec;
    }

    private static ProbeSpec build(URI base, String request, String body, List<String> headers, String read, String value,
                                   String expect, BigDecimal delta, String deltaFrom, BigDecimal floor, String keyFrom,
                                   String okWhen, String ok, String rejected, List<String> setup, int requests,
                                   int concurrency, long timeoutMs) {
        if (request == null) throw new UsageException("--request is required, e.g. 'POST /deposit/1'");
        if (read == null) throw new UsageException("--read is required, e.g. 'GET /balance/1'");
        return new ProbeSpec(base, Call.parse("--request", request), body == null ? null : Template.parse("--body", body),
                headers.stream().map(HeaderTemplate::parse).toList(), Call.parse("--read", read),
                value == null || value.isEmpty() ? null : JsonPath.parse("--value", value), Expect.parse(expect), delta,
                deltaFrom == null ? null : JsonPath.parseBodyPath("--delta-from", deltaFrom), floor,
                keyFrom == null ? null : JsonPath.parseBodyPath("--key-from", keyFrom),
                okWhen == null ? null : OkWhen.parse(okWhen), StatusClasses.parse(ok, rejected),
                setup.stream().map(s -> Call.parse("--setup", s)).toList(), requests, concurrency,
                Duration.ofMillis(timeoutMs));
    }

    /** The first request's body, placeholders filled in, must be JSON and hold what --delta-from and --key-from name. */
    public void checkSampleBody() {
        if (body == null) return;
        String sample = body.render(1);
        JsonNode json = Decimals.json(sample).orElseThrow(() -> new UsageException(
                "--body is not JSON once its placeholders are filled in: " + shorten(sample)));
        if (deltaFrom != null) deltaIn(json, 1, sample);
        if (keyFrom != null) keyIn(json, 1, sample);
    }

    /** The delta request {@code n} asks for, from its body when --delta-from says so. */
    BigDecimal deltaIn(JsonNode body, int n, String text) {
        if (delta != null) return delta;
        JsonNode node = deltaFrom.find(body);
        if (node.isMissingNode()) {
            throw new UsageException("--delta-from " + deltaFrom + " matches nothing in request " + n + "'s body ("
                    + deltaFrom.whyMissing(body).replace("the answer", "the body") + "): " + shorten(text));
        }
        Optional<BigDecimal> d = Decimals.of(node);
        if (d.isEmpty()) {
            throw new UsageException("--delta-from " + deltaFrom + " is " + OutsideNumbers.excerpt(node.toString()) + " in request " + n
                    + "'s body, not a number or a string holding one");
        }
        if (!OutsideNumbers.fits(d.get())) {
            throw new UsageException("--delta-from " + deltaFrom + " is out of range in request " + n + "'s body: "
                    + OutsideNumbers.show(d.get()) + " (" + OutsideNumbers.LIMITS + ")");
        }
        if (expect == Expect.FLOOR && d.get().signum() >= 0) {
            throw new UsageException("--expect floor checks takes: --delta-from " + deltaFrom + " must be negative, was "
                    + d.get().toPlainString() + " in request " + n + "'s body");
        }
        return d.get();
    }

    /** The key request {@code n} carries, from its body. */
    String keyIn(JsonNode body, int n, String text) {
        JsonNode node = keyFrom.find(body);
        if (node.isMissingNode() || node.isNull() || node.isContainerNode()) {
            throw new UsageException("--key-from " + keyFrom + " matches " + (node.isMissingNode() ? "nothing" : node.toString())
                    + " in request " + n + "'s body" + (node.isMissingNode() ? " (" + keyFrom.whyMissing(body).replace("the answer", "the body") + ")" : "")
                    + ": " + shorten(text));
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    public URI uri(Call call) {
        return BaseUrl.resolve(baseUrl, call.path());
    }

    /** Whether each request's body must be parsed for its delta or key. */
    boolean readsBodies() {
        return deltaFrom != null || keyFrom != null;
    }

    /** How many requests are in flight at once. */
    public int inFlight() {
        return Math.min(concurrency, requests);
    }

    static String shorten(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}

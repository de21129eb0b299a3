package dev.racelab.internal.probe.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.Clock;
import dev.racelab.core.RunAbortedException;
import dev.racelab.core.UsageException;
import dev.racelab.internal.input.OutsideNumbers;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code racelab probe http}: runs the setup, reads the value, sends the requests under test
 * with at most {@code concurrency} in flight, all released together, reads the value again,
 * and checks the invariant against what the answers said.
 *
 * <p>Everything that can be wrong with the input is found before the first request under
 * test: an unreachable server, a setup route that fails, a read whose answer has nothing at
 * --value or no number there ({@link UsageException}, exit 2). A final read that fails, or a
 * load in which no request was acknowledged or rejected, leaves nothing to give a verdict on
 * ({@link RunAbortedException}).
 */
public final class Prober {
    public static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final HttpTransport transport;
    private final Clock clock;
    private final PrintWriter progress;
    private final Duration progressEvery;

    public Prober(HttpTransport transport, Clock clock, PrintWriter progress) {
        this(transport, clock, progress, PROGRESS_EVERY);
    }

    public Prober(HttpTransport transport, Clock clock, PrintWriter progress, Duration progressEvery) {
        this.transport = transport;
        this.clock = clock;
        this.progress = progress;
        this.progressEvery = progressEvery;
    }

    public ProbeResult run(ProbeSpec spec) {
        spec.checkSampleBody();
        BigDecimal start;
        try (HttpTransport.Exchanger admin = transport.exchanger()) {
            for (Call call : spec.setup()) setup(admin, spec, call);
            start = firstRead(admin, spec);
        }
        progress.printf(Locale.ROOT, "racelab: probe: %,d x %s %s%s, %,d at a time; %s starts at %s%n", spec.requests(),
                spec.request().method(), spec.uri(spec.request()), spec.body() == null ? "" : " " + spec.body(),
                spec.inFlight(), spec.value() == null ? "the value" : spec.value(), Decimals.format(start));
        progress.flush();
        Firing.Fired fired = new Firing(transport, clock, progress, progressEvery, "probe")
                .run(spec.requests(), spec.inFlight(), planner(spec), () -> new Tally(spec.statuses(), spec.okWhen()));
        Tally tally = fired.tally();
        BigDecimal end;
        try (HttpTransport.Exchanger admin = transport.exchanger()) {
            end = finalRead(admin, spec);
        }
        ProbeCheck check = ProbeCheck.of(spec, tally, start, end);
        if (check.pass() && tally.acknowledged() + tally.rejected() == 0) {
            throw new RunAbortedException("no request was acknowledged (--ok " + spec.statuses().okText() + ") or rejected"
                    + " (--rejected " + spec.statuses().rejectedText() + "), so there is nothing to check: " + describe(tally)
                    + "; the first: " + tally.firstError() + ". Is --request right?");
        }
        return ProbeResult.of(spec, tally, check, fired.elapsedNanos());
    }

    /** Request n, ready to send; a body rendered once when no placeholder makes requests differ. */
    private static java.util.function.IntFunction<Firing.Planned> planner(ProbeSpec spec) {
        URI uri = spec.uri(spec.request());
        boolean constantHeaders = spec.headers().stream().allMatch(h -> h.value().isConstant());
        List<Outgoing.Header> fixedHeaders = constantHeaders ? headers(spec, 1) : null;
        boolean constantBody = spec.body() == null || spec.body().isConstant();
        if (constantBody && constantHeaders) {
            byte[] body = spec.body() == null ? null : spec.body().render(1).getBytes(StandardCharsets.UTF_8);
            Firing.Planned only = plan(spec, uri, fixedHeaders, spec.body() == null ? null : spec.body().render(1), body, 1);
            return n -> only;
        }
        return n -> {
            String text = spec.body() == null ? null : spec.body().render(n);
            byte[] body = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
            return plan(spec, uri, constantHeaders ? fixedHeaders : headers(spec, n), text, body, n);
        };
    }

    private static Firing.Planned plan(ProbeSpec spec, URI uri, List<Outgoing.Header> headers, String text, byte[] body, int n) {
        BigDecimal delta = spec.delta();
        String key = null;
        if (spec.readsBodies()) {
            JsonNode json = Decimals.json(text).orElseThrow(() -> new UsageException("--body is not JSON in request " + n
                    + " once its placeholders are filled in: " + ProbeSpec.shorten(text)));
            if (spec.deltaFrom() != null) delta = spec.deltaIn(json, n, text);
            if (spec.keyFrom() != null) key = spec.keyIn(json, n, text);
        }
        return new Firing.Planned(new Outgoing(spec.request().method(), uri, headers, body), delta, key);
    }

    private static List<Outgoing.Header> headers(ProbeSpec spec, int n) {
        List<Outgoing.Header> h = new ArrayList<>(spec.headers().size() + 2);
        h.add(new Outgoing.Header("Accept", "application/json"));
        boolean ownType = spec.headers().stream().anyMatch(x -> x.name().equalsIgnoreCase("Content-Type"));
        if (spec.body() != null && !ownType) h.add(new Outgoing.Header("Content-Type", "application/json"));
        for (HeaderTemplate t : spec.headers()) h.add(new Outgoing.Header(t.name(), t.value().render(n)));
        return h;
    }

    private void setup(HttpTransport.Exchanger admin, ProbeSpec spec, Call call) {
        Answer answer = sendBeforeLoad(admin, spec, call);
        if (!answer.is2xx()) {
            throw new UsageException("--setup " + call + " answered " + answer.describe() + ", so the probe did not start");
        }
    }

    private BigDecimal firstRead(HttpTransport.Exchanger admin, ProbeSpec spec) {
        Answer answer = sendBeforeLoad(admin, spec, spec.read());
        if (!answer.is2xx()) throw new UsageException("--read " + spec.read() + " answered " + answer.describe());
        try {
            return valueIn(spec, answer);
        } catch (BadValue e) {
            throw new UsageException(e.getMessage());
        }
    }

    private BigDecimal finalRead(HttpTransport.Exchanger admin, ProbeSpec spec) {
        String cannot = "cannot read the final value, so the requests cannot be checked: ";
        Answer answer;
        try {
            answer = admin.send(get(spec, spec.read()));
        } catch (IOException e) {
            throw new RunAbortedException(cannot + spec.read() + ": " + Reasons.of(e));
        } catch (InterruptedException e) {
            throw interrupted();
        }
        if (!answer.is2xx()) throw new RunAbortedException(cannot + spec.read() + " answered " + answer.describe());
        try {
            return valueIn(spec, answer);
        } catch (BadValue e) {
            throw new RunAbortedException(cannot + e.getMessage());
        }
    }

    private Answer sendBeforeLoad(HttpTransport.Exchanger admin, ProbeSpec spec, Call call) {
        try {
            return admin.send(get(spec, call));
        } catch (IOException e) {
            throw new UsageException("cannot reach " + spec.baseUrl() + ": " + Reasons.of(e) + " (" + call + ")");
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /** A setup or read request: no body, no headers of the requests under test beyond Accept. */
    private static Outgoing get(ProbeSpec spec, Call call) {
        return new Outgoing(call.method(), spec.uri(call), List.of(new Outgoing.Header("Accept", "application/json")), null);
    }

    private static final class BadValue extends Exception {
        BadValue(String message) {
            super(message, null, false, false);
        }
    }

    /** The number at --value in the read's answer; without --value, the whole body. */
    static BigDecimal valueIn(ProbeSpec spec, Answer answer) throws BadValue {
        String text = answer.body();
        Optional<JsonNode> json = Decimals.json(text);
        String read = spec.read().toString();
        if (spec.value() == null) {
            Optional<BigDecimal> whole = json.isPresent() ? Decimals.of(json.get()) : Decimals.parse(text);
            return bounded(whole.orElseThrow(() -> new BadValue(read + " answered " + answer.describe() + ", which is not a number;"
                    + " give --value PATH to the number in it")), read + "'s answer");
        }
        if (json.isEmpty()) {
            throw new BadValue(read + " answered something that is not JSON, so --value " + spec.value() + " matches nothing: "
                    + answer.describe());
        }
        JsonNode node = spec.value().find(json.get());
        if (node.isMissingNode()) {
            throw new BadValue("--value " + spec.value() + " matches nothing in " + read + "'s answer ("
                    + spec.value().whyMissing(json.get()) + "): " + answer.describe());
        }
        return bounded(Decimals.of(node).orElseThrow(() -> new BadValue("--value " + spec.value() + " in " + read + "'s answer is "
                + OutsideNumbers.excerpt(node.toString()) + ", not a number or a string holding one: " + answer.describe())),
                "--value " + spec.value() + " in " + read + "'s answer");
    }

    /** A number the server answered, refused before any arithmetic when it is out of range. */
    private static BigDecimal bounded(BigDecimal value, String where) throws BadValue {
        if (OutsideNumbers.fits(value)) return value;
        throw new BadValue(where + " is out of range: " + OutsideNumbers.show(value) + " (" + OutsideNumbers.LIMITS + ")");
    }

    private static String describe(Tally tally) {
        List<String> parts = new ArrayList<>();
        String failures = ProbeExplainer.failedStatuses(tally, true);
        if (!failures.isEmpty()) parts.add(ProbeExplainer.count(tally.failed()) + " failed (" + failures + ")");
        if (tally.unknown() > 0) parts.add(ProbeExplainer.count(tally.unknown()) + " got no answer");
        return String.join(", ", parts);
    }

    private static RunAbortedException interrupted() {
        Thread.currentThread().interrupt();
        return new RunAbortedException("the probe was interrupted");
    }
}

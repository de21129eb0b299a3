package dev.racelab.internal.load;

import dev.racelab.core.Clock;
import dev.racelab.core.Money;
import dev.racelab.core.UsageException;
import dev.racelab.core.RunAbortedException;
import dev.racelab.internal.probe.http.Firing;
import dev.racelab.internal.probe.http.JdkTransport;
import dev.racelab.internal.probe.http.Reasons;
import dev.racelab.internal.probe.http.Tally;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seed 003's load test, counted properly. It resets the server (unless told not to), reads
 * the starting balance, sends the deposits with at most {@code concurrency} in flight, all
 * released together, reads the final balance, and checks it against what the answers said.
 *
 * <p>Bad input and an unreachable server before the load are {@link UsageException}s; a
 * balance that cannot be read, or a load in which no request was acknowledged or rejected,
 * is a {@link RunAbortedException}: there is then nothing to give a verdict on.
 */
public final class LoadTester {
    public static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final HttpClient client;
    private final Clock clock;
    private final PrintWriter progress;
    private final Duration progressEvery;

    public LoadTester(HttpClient client, Clock clock, PrintWriter progress) {
        this(client, clock, progress, PROGRESS_EVERY);
    }

    public LoadTester(HttpClient client, Clock clock, PrintWriter progress, Duration progressEvery) {
        this.client = client;
        this.clock = clock;
        this.progress = progress;
        this.progressEvery = progressEvery;
    }

    /** The client a load test needs: HTTP/1.1 as the seed's, no redirects (a redirected POST is not the deposit we sent). */
    public static HttpClient httpClient(LoadSpec spec) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(spec.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public LoadResult run(LoadSpec spec) {
        SeedApi api = new SeedApi(client, spec);
        if (spec.reset()) reset(api, spec);
        long start = startingBalance(api, spec);
        progress.printf(Locale.ROOT, "racelab: load: %,d x POST %s {\"amount\": %s}, %,d at a time; the balance starts at %s%n",
                spec.requests(), spec.uri(spec.endpoint()), spec.amount(), spec.inFlight(), Money.format(start));
        progress.flush();
        Firing.Fired fired = fire(api, spec);
        Tally tally = fired.tally();
        long elapsed = fired.elapsedNanos();
        long end = finalBalance(api);
        DepositCheck check = DepositCheck.of(spec, tally, start, end);
        if (check.pass() && tally.acknowledged() + tally.rejected() == 0) {
            throw new RunAbortedException("no deposit was acknowledged or rejected with 409, so there is nothing to check: "
                    + describe(tally) + "; the first: " + tally.firstError() + ". Is --endpoint right?");
        }
        return LoadResult.of(spec, tally, check, elapsed);
    }

    private void reset(SeedApi api, LoadSpec spec) {
        SeedApi.Answer answer;
        try {
            answer = api.reset();
        } catch (IOException e) {
            throw unreachable(spec, e);
        } catch (InterruptedException e) {
            throw interrupted();
        }
        if (answer.ok()) return;
        if (answer.status() == 404) {
            throw new UsageException("POST " + spec.uri("/reset") + " answered 404: the server has no /reset;"
                    + " start it with --demo, or pass --no-reset");
        }
        if (answer.status() == 401 || answer.status() == 403) {
            throw new UsageException("POST " + spec.uri("/reset") + " answered " + answer.describe() + ": pass the server's"
                    + " admin token with --admin-token or RACELAB_ADMIN_TOKEN, or pass --no-reset");
        }
        throw new RunAbortedException("POST " + spec.uri("/reset") + " answered " + answer.describe()
                + "; pass --no-reset to skip it");
    }

    private long startingBalance(SeedApi api, LoadSpec spec) {
        try {
            return api.balance();
        } catch (IOException e) {
            throw unreachable(spec, e);
        } catch (SeedApi.BadAnswer e) {
            if (e.status() == 404) throw new UsageException(e.getMessage() + " at " + spec.uri(""));
            throw new RunAbortedException("cannot read the starting balance: " + e.getMessage());
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private long finalBalance(SeedApi api) {
        try {
            return api.balance();
        } catch (IOException e) {
            throw new RunAbortedException("cannot read the final balance, so the deposits cannot be checked: " + reason(e));
        } catch (SeedApi.BadAnswer e) {
            throw new RunAbortedException("cannot read the final balance, so the deposits cannot be checked: " + e.getMessage());
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /** Sends the deposits through probe http's engine, counted as {@code racelab load} always counted them. */
    private Firing.Fired fire(SeedApi api, LoadSpec spec) {
        Firing firing = new Firing(new JdkTransport(client, spec.timeout()), clock, progress, progressEvery, "load");
        return firing.run(spec.requests(), spec.inFlight(), n -> new Firing.Planned(api.deposit(n), null, null), Tally::new);
    }

    private static String describe(Tally tally) {
        List<String> parts = new ArrayList<>();
        String failures = LoadTable.statusCounts(tally.statuses(), s -> true);
        if (!failures.isEmpty()) parts.add(LoadExplainer.count(tally.failed()) + " failed (" + failures + ")");
        if (tally.unknown() > 0) parts.add(LoadExplainer.count(tally.unknown()) + " got no answer");
        return String.join(", ", parts);
    }

    private static UsageException unreachable(LoadSpec spec, IOException e) {
        return new UsageException("cannot reach " + spec.uri("") + ": " + reason(e) + " (is racelab serve running?)");
    }

    private static RunAbortedException interrupted() {
        Thread.currentThread().interrupt();
        return new RunAbortedException("the load test was interrupted");
    }

    /** The most telling message in an exception's causes. */
    static String reason(Throwable e) {
        return Reasons.of(e);
    }
}

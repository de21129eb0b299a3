package dev.racelab.internal.load;

import dev.racelab.internal.probe.http.BaseUrl;
import dev.racelab.core.Money;
import dev.racelab.core.UsageException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One load test, checked when it is built, so that bad input is refused before any request
 * is sent. Money is in minor units. {@code concurrency} may exceed {@code requests}: then
 * every request is in flight at once.
 *
 * @param baseUrl    the server, e.g. http://127.0.0.1:3000 (a path prefix is allowed)
 * @param endpoint   the deposit route, e.g. /deposit-optimistic/1 or /accounts/1/deposits?strategy=atomic
 * @param adminToken sent as X-Admin-Token with POST /reset only; null for none
 * @param headers    sent with every deposit request
 */
public record LoadSpec(URI baseUrl, String endpoint, int account, int requests, int concurrency, long amountMinor,
                       boolean reset, String adminToken, Duration timeout, List<RequestHeader> headers) {
    public static final String DEFAULT_URL = "http://127.0.0.1:3000";

    public LoadSpec {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(timeout, "timeout");
        BaseUrl.check(baseUrl);
        checkEndpoint(baseUrl, endpoint);
        if (account < 1) throw new UsageException("--account must be at least 1, was " + account);
        if (requests < 1) throw new UsageException("--requests must be at least 1, was " + requests);
        if (concurrency < 1) throw new UsageException("--concurrency must be at least 1, was " + concurrency);
        if (amountMinor < 1 || amountMinor > Money.MAX_MINOR) {
            throw new UsageException("--amount must be between 0.01 and " + Money.format(Money.MAX_MINOR));
        }
        if (!timeout.isPositive()) throw new UsageException("--timeout-ms must be at least 1");
        headers = List.copyOf(headers);
        if (amountMinor > Long.MAX_VALUE / 4 / requests) { // leaves room to add the balances without overflow
            throw new UsageException("--requests x --amount is too large");
        }
    }

    /** Builds a spec from the command line's flags; the account comes from the endpoint unless given. */
    public static LoadSpec fromFlags(String url, String endpoint, Integer account, int requests, int concurrency,
                                     BigDecimal amount, boolean reset, String adminToken, long timeoutMs,
                                     List<String> headers) {
        if (url == null || url.isBlank()) throw new UsageException("--url is required");
        URI base;
        try {
            base = new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("--url is not a URL: '" + url + "' (" + e.getReason() + ")");
        }
        if (endpoint == null || endpoint.isBlank()) throw new UsageException("--endpoint is required, e.g. /deposit-atomic/1");
        BaseUrl.check(base);
        checkEndpoint(base, endpoint); // before the account is looked for in it
        long minor;
        try {
            minor = Money.parsePositive(amount);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--amount: " + e.getMessage());
        }
        return new LoadSpec(base, endpoint, account(endpoint, account), requests, concurrency, minor, reset,
                adminToken == null || adminToken.isEmpty() ? null : adminToken, Duration.ofMillis(timeoutMs),
                headers.stream().map(RequestHeader::parse).toList());
    }

    private static int account(String endpoint, Integer given) {
        OptionalInt inPath = AccountPath.accountIn(endpoint);
        if (given == null) {
            return inPath.orElseThrow(() -> new UsageException("cannot tell the account from --endpoint " + endpoint
                    + " (expected /deposit-NAME/ID or /accounts/ID/deposits); pass --account ID"));
        }
        if (inPath.isPresent() && inPath.getAsInt() != given) {
            throw new UsageException("--account " + given + " is not the account in --endpoint " + endpoint);
        }
        return given;
    }

    private static void checkEndpoint(URI base, String endpoint) {
        if (!endpoint.startsWith("/")) throw new UsageException("--endpoint must start with /, was '" + endpoint + "'");
        try {
            URI whole = new URI(BaseUrl.join(base, endpoint));
            if (whole.getRawFragment() != null) throw new UsageException("--endpoint must not have a #fragment: '" + endpoint + "'");
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("--endpoint is not a valid path: '" + endpoint + "' (" + e.getReason() + ")");
        }
    }

    /** The URI of a path on the server, under the base URL's prefix. */
    public URI uri(String path) {
        return URI.create(BaseUrl.join(baseUrl, path));
    }

    /** How many requests are in flight at once. */
    public int inFlight() {
        return Math.min(concurrency, requests);
    }

    /**
     * True when every request carries the same Idempotency-Key: they are then one deposit,
     * which the server must apply at most once, however many of them it acknowledges.
     */
    public boolean sharesOneIdempotencyKey() {
        return headers.stream().anyMatch(h -> h.isIdempotencyKey() && !h.variesPerRequest());
    }

    public String amount() {
        return Money.format(amountMinor);
    }
}

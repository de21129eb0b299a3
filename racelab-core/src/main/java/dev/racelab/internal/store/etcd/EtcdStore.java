package dev.racelab.internal.store.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.racelab.core.StoreException;
import dev.racelab.core.UsageException;
import dev.racelab.store.Capability;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreErrors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases on etcd, and no other role, through etcd's v3 HTTP/JSON gateway ({@code /v3/lease/grant},
 * {@code /v3/kv/txn}, {@code /v3/lease/revoke}) with the JDK's own HTTP client: no client library,
 * because the gateway is part of every etcd server (3.4's included), and a lease is three small
 * JSON requests; jetcd would bring gRPC and Netty for the same three calls.
 *
 * <p><b>A grant</b> is an etcd lease of the TTL asked for (whole seconds, at least 1; etcd raises
 * it to its own minimum, about 2 s with the default election timeout), then one transaction:
 * if the key {@code racelab/leases/<name>} does not exist (its create revision is 0), put the
 * grant's random token there, attached to that lease. A lost race revokes the lease and answers
 * empty. Nothing renews the lease: it lasts its TTL, as Redis's {@code SET NX PX} does, at most
 * the address option {@value #MAX_LEASE_TTL_OPTION} when one is set (a lab's etcd sets it).
 *
 * <p><b>The fence</b> is the key's mod_revision: the revision of the transaction that put it.
 * etcd numbers every write of the cluster with one revision that only grows, across leaders, so
 * each grant on a name has a larger fence than the one before, with no counter of racelab's.
 *
 * <p><b>Release</b> is a transaction that deletes the key only while it holds this grant's token
 * and revision, then revokes the lease; false when the lease expired or passed on.
 *
 * <p><b>Endpoints:</b> the URL is one or more {@code http://HOST:PORT}, comma separated; a call goes
 * to the endpoint that answered last, and to the next when that one cannot be reached.
 */
public final class EtcdStore implements LeaseStore {
    static final String NAME = "etcd";
    static final String KEY_PREFIX = "racelab/leases/";
    /** The address option that caps every lease's TTL (ms), see {@link EtcdProvider#MAX_LEASE_TTL}. */
    static final String MAX_LEASE_TTL_OPTION = "max-lease-ttl-ms";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Capability> CAPABILITIES = Set.of(Capability.LEASE);

    private final String url;
    private final List<URI> endpoints;
    /** The longest TTL asked for, in ms; Long.MAX_VALUE when uncapped. */
    private final long maxTtlMs;
    private final HttpClient http;
    /** The etcd lease of each grant this store made and has not released, by the grant's token. */
    private final Map<String, Long> grants = new ConcurrentHashMap<>();
    private volatile int current;

    private EtcdStore(String url, List<URI> endpoints, long maxTtlMs) {
        this.url = url;
        this.maxTtlMs = maxTtlMs;
        this.endpoints = List.copyOf(endpoints);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Connects and asks for the cluster's status, so an unreachable etcd fails at once, in one line. */
    public static EtcdStore open(StoreAddress address) {
        EtcdStore store = new EtcdStore(address.url(), endpoints(address.url()), maxTtlMs(address));
        try {
            store.post("/v3/maintenance/status", JSON.createObjectNode());
        } catch (StoreException e) {
            throw new UsageException("etcd: cannot reach etcd at " + address.url() + " (" + EtcdProvider.URL.flag() + ", "
                    + EtcdProvider.URL.env() + "): " + e.getMessage(), e);
        }
        return store;
    }

    private static long maxTtlMs(StoreAddress address) {
        String value = address.option(MAX_LEASE_TTL_OPTION, null);
        if (value == null) return Long.MAX_VALUE;
        try {
            long ms = Long.parseLong(value.strip());
            if (ms >= 1) return ms;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("etcd: " + EtcdProvider.MAX_LEASE_TTL.flag() + " must be a positive number of milliseconds, was '" + value + "'");
    }

    static List<URI> endpoints(String url) {
        List<URI> list = new ArrayList<>();
        for (String part : url.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            if (!p.contains("://")) p = "http://" + p;
            try {
                URI uri = URI.create(p);
                if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) throw new IllegalArgumentException(p);
                list.add(uri);
            } catch (IllegalArgumentException e) {
                throw new UsageException("etcd: '" + part.strip() + "' is not an etcd endpoint (" + EtcdProvider.URL.flag()
                        + "): http://HOST:PORT[,http://HOST:PORT...], e.g. http://127.0.0.1:2379");
            }
        }
        if (list.isEmpty()) throw new UsageException("etcd: no endpoint in '" + url + "' (" + EtcdProvider.URL.flag() + ")");
        return list;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String identity() {
        return NAME + "@" + Integer.toHexString(url.hashCode());
    }

    /** Takes the lease if nobody holds it; empty when someone does. Three round trips at most; never waits. Always fenced. */
    @Override
    public Optional<Lease> tryLease(String leaseName, Duration ttl) {
        Objects.requireNonNull(leaseName, "leaseName");
        if (ttl.toMillis() < 1) throw new IllegalArgumentException("a lease needs a TTL of at least 1 ms, was " + ttl);
        long seconds = Math.max(1, (Math.min(ttl.toMillis(), maxTtlMs) + 999) / 1000);
        ObjectNode grantBody = JSON.createObjectNode().put("TTL", seconds);
        long id = post("/v3/lease/grant", grantBody).path("ID").asLong();
        if (id == 0) throw StoreErrors.failure(NAME, "take lease " + leaseName, "etcd granted no lease ID", null, false);
        String token = UUID.randomUUID().toString();
        String key = key(leaseName);
        ObjectNode txn = JSON.createObjectNode();
        txn.putArray("compare").addObject().put("key", b64(key)).put("target", "CREATE").put("result", "EQUAL").put("create_revision", 0);
        txn.putArray("success").addObject().putObject("request_put").put("key", b64(key)).put("value", b64(token)).put("lease", id);
        JsonNode answer;
        try {
            answer = post("/v3/kv/txn", txn);
        } catch (StoreException e) {
            // the put may have landed under this lease: nobody holds it, and it runs out with its TTL
            throw StoreErrors.failure(NAME, "take lease " + leaseName, e.getMessage(), e, true);
        }
        if (!answer.path("succeeded").asBoolean(false)) {
            revokeQuietly(id);
            return Optional.empty();
        }
        long fence = answer.path("header").path("revision").asLong();
        grants.put(token, id);
        return Optional.of(new Lease(leaseName, token, fence));
    }

    /** Deletes the key while it still holds this grant's token and revision, then revokes its lease; false otherwise. */
    @Override
    public boolean releaseLease(Lease lease) {
        Long id = grants.remove(lease.token());
        if (id == null) return false;
        String key = key(lease.name());
        ObjectNode txn = JSON.createObjectNode();
        ArrayNode compare = txn.putArray("compare");
        compare.addObject().put("key", b64(key)).put("target", "VALUE").put("result", "EQUAL").put("value", b64(lease.token()));
        compare.addObject().put("key", b64(key)).put("target", "MOD").put("result", "EQUAL").put("mod_revision", lease.fence());
        txn.putArray("success").addObject().putObject("request_delete_range").put("key", b64(key));
        boolean released;
        try {
            released = post("/v3/kv/txn", txn).path("succeeded").asBoolean(false);
        } catch (StoreException e) {
            throw StoreErrors.failure(NAME, "release lease " + lease.name(), e.getMessage(), e, true);
        }
        revokeQuietly(id);
        return released;
    }

    private void revokeQuietly(long id) {
        try {
            post("/v3/lease/revoke", JSON.createObjectNode().put("ID", id));
        } catch (StoreException e) {
            // it runs out with its TTL
        }
    }

    private static String key(String leaseName) {
        if (leaseName.isEmpty()) throw new IllegalArgumentException("a lease needs a name");
        return KEY_PREFIX + leaseName;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One request to the endpoint that answered last, or the next ones in turn when it cannot be
     * reached; an error answer from etcd is a failure that names it, never tried elsewhere.
     */
    private JsonNode post(String path, JsonNode body) {
        IOException last = null;
        int start = current;
        for (int i = 0; i < endpoints.size(); i++) {
            int at = (start + i) % endpoints.size();
            HttpRequest request = HttpRequest.newBuilder(endpoints.get(at).resolve(path)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpConnectTimeoutException | java.net.ConnectException e) {
                last = e; // never sent: the next member may take it
                continue;
            } catch (java.net.http.HttpTimeoutException e) {
                current = (at + 1) % endpoints.size(); // the next call tries another member
                throw StoreErrors.failure(NAME, path, "no answer from " + endpoints.get(at) + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e,
                        true);
            } catch (IOException e) {
                throw StoreErrors.failure(NAME, path, "the connection to " + endpoints.get(at) + " failed: " + e, e, true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw StoreErrors.failure(NAME, path, "interrupted", e, true);
            }
            current = at;
            JsonNode answer;
            try {
                answer = JSON.readTree(response.body());
            } catch (IOException e) {
                throw StoreErrors.failure(NAME, path, "not JSON from " + endpoints.get(at) + ": " + response.body(), e, true);
            }
            if (response.statusCode() != 200 || answer.has("error")) {
                throw StoreErrors.failure(NAME, path, "etcd at " + endpoints.get(at) + " answered " + response.statusCode() + ": "
                        + answer.path("error").asText(response.body()), null, true);
            }
            return answer;
        }
        throw StoreErrors.failure(NAME, path, "cannot reach etcd at " + url + ": " + last, last, false);
    }

    /** Revokes the leases of grants not yet released: their keys go with them. */
    @Override
    public void close() {
        for (Long id : grants.values()) revokeQuietly(id);
        grants.clear();
    }
}

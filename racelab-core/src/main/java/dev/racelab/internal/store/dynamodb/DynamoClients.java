package dev.racelab.internal.store.dynamodb;

import dev.racelab.core.UsageException;
import dev.racelab.store.StoreAddress;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.http.conn.ConnectTimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Builds racelab's DynamoDB client and says what an SDK failure means for the history. */
final class DynamoClients {
    /** DynamoDB Local accepts any key; these are only ever sent to it or when nothing else is configured. */
    private static final AwsBasicCredentials DUMMY = AwsBasicCredentials.create("racelab", "racelab");

    /**
     * One connection carries one request at a time. Threads beyond the pool (a flash sale runs
     * 10,000 virtual threads) wait for a connection, which is only the queue moved into the
     * client. DynamoDB serves 200 in flight from one process easily; DynamoDB Local applies one
     * write per table at a time and gives up on a request that waits 10 s for that lock, so
     * the in-process one gets fewer.
     */
    private static final int MAX_CONNECTIONS = 200;
    private static final int MAX_LOCAL_CONNECTIONS = 50;
    private static final int MIN_CONNECTIONS = 16;
    /** Long, because the wait is the queue: every request in flight is bounded by the socket timeout. */
    static final Duration CONNECTION_WAIT = Duration.ofMinutes(10);

    /** Errors DynamoDB returns before it applies anything: the request may simply be sent again. */
    private static final Set<String> THROTTLED = Set.of(
            "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded");
    private static final Set<String> THROTTLED_REASONS = Set.of("ThrottlingError", "ProvisionedThroughputExceeded");

    private DynamoClients() {
    }

    /** The client's connections for a pool of {@code poolSize}: at least a few, at most what the endpoint serves well. */
    static int connections(StoreAddress address, int poolSize) {
        return Math.min(Math.max(poolSize, MIN_CONNECTIONS), isLocal(address) ? MAX_LOCAL_CONNECTIONS : MAX_CONNECTIONS);
    }

    static DynamoDbClient build(StoreAddress address, int poolSize) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint(address.url()))
                .region(Region.of(address.option(DynamoStore.REGION_OPTION, "us-east-1")))
                .credentialsProvider(credentials(address))
                .httpClient(ApacheHttpClient.builder()
                        .maxConnections(connections(address, poolSize))
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30))
                        .connectionAcquisitionTimeout(CONNECTION_WAIT)
                        .build())
                .overrideConfiguration(c -> c.retryStrategy(retryStrategy()))
                .build();
    }

    private static boolean isLocal(StoreAddress address) {
        return "true".equals(address.option(DynamoStore.LOCAL_OPTION, "false"));
    }

    private static URI endpoint(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) return uri;
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UsageException("the DynamoDB URL must look like http://host:port, was '" + url + "'");
    }

    /**
     * DynamoDB Local gets fixed dummy credentials. Elsewhere the SDK's usual sources apply
     * (environment, profile, container or instance role), with the dummy ones when none has
     * any, so a DynamoDB Local reached by URL works on a machine with no AWS set-up.
     */
    private static AwsCredentialsProvider credentials(StoreAddress address) {
        StaticCredentialsProvider dummy = StaticCredentialsProvider.create(DUMMY);
        if (isLocal(address)) return dummy;
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(DefaultCredentialsProvider.builder().build(), dummy)
                .build();
    }

    /**
     * The SDK retries on its own only what DynamoDB refused before applying: throttling, a write
     * that met a running transaction, DynamoDB Local's lock queue, a connection that was never
     * made. Its default would also resend after a lost response, and an add sent twice is a
     * change racelab would count as applied once.
     */
    private static RetryStrategy retryStrategy() {
        return DefaultRetryStrategy.standardStrategyBuilder()
                .useClientDefaults(false)
                .maxAttempts(4)
                .retryOnException(DynamoClients::refusedBeforeApplying)
                .treatAsThrottling(DynamoClients::throttled)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(20), Duration.ofSeconds(1)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(5)))
                .circuitBreakerEnabled(false)
                .build();
    }

    static boolean refusedBeforeApplying(Throwable e) {
        if (throttled(e) || localLockTimeout(e)) return true;
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null
                && "TransactionConflictException".equals(s.awsErrorDetails().errorCode())) {
            return true;
        }
        // Not a connect timeout: the host is not answering, and waiting 2 s more per try will not help.
        return e instanceof SdkClientException && neverSent(e) && !hasCause(e, ConnectTimeoutException.class);
    }

    private static boolean throttled(Throwable e) {
        if (e instanceof TransactionCanceledException t && t.hasCancellationReasons()) {
            List<String> codes = t.cancellationReasons().stream().map(CancellationReason::code).toList();
            return codes.stream().anyMatch(THROTTLED_REASONS::contains)
                    && codes.stream().allMatch(c -> c == null || c.equals("None") || THROTTLED_REASONS.contains(c));
        }
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null
                && THROTTLED.contains(s.awsErrorDetails().errorCode());
    }

    /**
     * DynamoDB Local runs one write per table at a time and answers 500 to a request that waited
     * 10 s for that lock, before touching any item ("This request will succeed in actual
     * DynamoDB API"). Real DynamoDB has no such queue.
     */
    static boolean localLockTimeout(Throwable e) {
        return e instanceof AwsServiceException s && s.statusCode() == 500 && s.awsErrorDetails() != null
                && String.valueOf(s.awsErrorDetails().errorMessage()).contains("waiting for a lock");
    }

    /** The request never left this process: no connection was made (or none was free in time). */
    static boolean neverSent(Throwable e) {
        return hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class)
                || hasCause(e, NoRouteToHostException.class) || hasCause(e, ConnectTimeoutException.class);
    }

    /**
     * Whether a failed write may have landed anyway: the request was sent and no answer came
     * (timeout, broken connection, interrupt), or DynamoDB itself said it failed internally.
     */
    static boolean maybeApplied(SdkException e) {
        if (e instanceof AwsServiceException s) return s.statusCode() >= 500 && !localLockTimeout(s);
        if (e instanceof AbortedException) return true;
        return !neverSent(e);
    }

    /** The innermost message, which names the real trouble (Connection refused, Read timed out). */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        if (message == null || message.isBlank()) return root.getClass().getSimpleName();
        return root instanceof UnknownHostException ? "unknown host " + message : message;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }
}

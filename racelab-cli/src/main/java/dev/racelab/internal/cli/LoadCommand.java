package dev.racelab.internal.cli;

import dev.racelab.core.Clock;
import dev.racelab.internal.load.LoadResult;
import dev.racelab.internal.load.LoadSpec;
import dev.racelab.internal.load.LoadTable;
import dev.racelab.internal.load.LoadTester;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "load", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"The demo service's load test, counted properly: resets the server, sends many deposits at once to one"
                + " endpoint, and checks the final balance against what the answers said.",
                "A 409 is a rejection the client was told about, not a loss; a request with no answer or a 5xx may or may"
                        + " not have landed. Exit code: 0 PASS, 1 FAIL, 2 bad input or an unreachable server,"
                        + " 3 the balance could not be read."},
        footer = {"", "Examples:",
                "  racelab load --endpoint /deposit-broken/1 --requests 100 --concurrency 100",
                "  racelab load --url http://127.0.0.1:3000 --endpoint '/accounts/1/deposits?strategy=optimistic' --requests 1000 --concurrency 50",
                "  racelab load --endpoint /deposit-atomic/1 --header 'Idempotency-Key: run7-{i}'"})
public final class LoadCommand implements Callable<Integer> {
    static final String ADMIN_TOKEN_ENV = "RACELAB_ADMIN_TOKEN";

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "the server (default: ${DEFAULT-VALUE})")
    String url = LoadSpec.DEFAULT_URL;

    @Option(names = "--endpoint", required = true, paramLabel = "PATH",
            description = "the deposit route: /deposit-broken/1, /deposit-atomic/1, /deposit-optimistic/1, /deposit-distributed/1,"
                    + " or /accounts/1/deposits?strategy=NAME")
    String endpoint;

    @Option(names = "--account", paramLabel = "ID", description = "the account whose balance is checked (default: the one in --endpoint)")
    Integer account;

    @Option(names = "--requests", paramLabel = "N", description = "deposits to send (default: ${DEFAULT-VALUE})")
    int requests = 100;

    @Option(names = "--concurrency", paramLabel = "C", description = "the most in flight at once; above --requests means all at once (default: ${DEFAULT-VALUE})")
    int concurrency = 100;

    @Option(names = "--amount", paramLabel = "AMOUNT", description = "each deposit, at most 2 decimals (default: ${DEFAULT-VALUE})")
    BigDecimal amount = new BigDecimal("10");

    @Option(names = "--no-reset", description = "do not POST /reset first (it needs a server started with --demo or an admin token)")
    boolean noReset;

    @Option(names = "--admin-token", paramLabel = "TOKEN", description = "sent as X-Admin-Token with POST /reset (env " + ADMIN_TOKEN_ENV + ")")
    String adminToken;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "per request; a deposit with no answer by then is unknown (default: ${DEFAULT-VALUE})")
    long timeoutMs = 30_000;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'",
            description = "a header for every deposit, repeatable; {i} in the value becomes the request's number (1..N)")
    List<String> headers = new ArrayList<>();

    @Mixin
    JsonFileOption json = new JsonFileOption();

    @Override
    public Integer call() {
        String token = adminToken != null ? adminToken : System.getenv(ADMIN_TOKEN_ENV);
        LoadSpec load = LoadSpec.fromFlags(url, endpoint, account, requests, concurrency, amount, !noReset, token,
                timeoutMs, headers);
        json.checkWritable();
        PrintWriter out = spec.commandLine().getOut();
        LoadResult result;
        try (HttpClient client = LoadTester.httpClient(load)) {
            result = new LoadTester(client, Clock.SYSTEM, spec.commandLine().getErr()).run(load);
        }
        json.write(result);
        out.print(LoadTable.render(result));
        out.println();
        out.println(result.explanation());
        if (!result.firstError().isEmpty()) out.println("  the first error: " + result.firstError());
        out.flush();
        return result.passed() ? ExitCode.PASS : ExitCode.FAIL;
    }
}

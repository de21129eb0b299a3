package dev.racelab.internal.cli;

import dev.racelab.core.Clock;
import dev.racelab.internal.probe.http.ProbeResult;
import dev.racelab.internal.probe.http.ProbeSpec;
import dev.racelab.internal.probe.http.ProbeTable;
import dev.racelab.internal.probe.http.Prober;
import dev.racelab.internal.probe.http.SocketTransport;
import dev.racelab.internal.probe.http.StatusClasses;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "http", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Puts your own endpoint under contention and checks an invariant on a value it reads back:"
                + " runs --setup, reads the value, sends --requests requests with --concurrency in flight (all released"
                + " at once), reads the value again, and compares it with what the answers acknowledged.",
                "Values are compared exactly, as decimals: a JSON number, a string holding one (\"1000.00\", as mysql2"
                        + " answers DECIMAL), or a plain text body holding one. A --rejected status is a refusal the client"
                        + " was told about, not a loss; a request with no answer or a 5xx may or may not have landed.",
                "Placeholders in --body and --header: {{i}} the request's number (1..N), {{uuid}}, {{rand:1-100}}.",
                "Exit code: 0 PASS, 1 FAIL, 2 bad input (also: an unreachable server, a --value that matches nothing or"
                        + " no number in the first read), 3 the final value could not be read."},
        footer = {"", "Examples:",
                "  # the demo service's lost update: exits 1 with lost > 0; /deposit-atomic/1 exits 0",
                "  racelab probe http --url http://127.0.0.1:3000 \\",
                "      --request 'POST /deposit-broken/1' --body '{\"amount\": 10}' \\",
                "      --read 'GET /balance/1' --value balance --expect sum --delta 10 \\",
                "      --setup 'POST /reset' --requests 100 --concurrency 100",
                "  # stock: never below 0, and no more acknowledged takes than there were",
                "  racelab probe http --request 'POST /orders' \\",
                "      --body '{\"productId\": \"p1\", \"quantity\": 1}' \\",
                "      --read 'GET /products/p1' --value data.stock \\",
                "      --expect floor --floor 0 --delta -1 --rejected 409,422",
                "  # likes: once per user, whatever the answers say",
                "  racelab probe http --request 'POST /like/1' \\",
                "      --body '{\"userId\": {{rand:1-20}}}' --read 'GET /posts/1' \\",
                "      --value like_count --expect once --key-from body.userId --delta 1 \\",
                "      --ok-when 'body.success == true'"})
public final class ProbeHttpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "the server: scheme://host[:port][/prefix] (default: ${DEFAULT-VALUE})")
    String url = ProbeSpec.DEFAULT_URL;

    @Option(names = "--request", required = true, paramLabel = "'METHOD /path'", description = "the request under test, e.g. 'POST /deposit-atomic/1'")
    String request;

    @Option(names = "--body", paramLabel = "JSON", description = "its body, sent as application/json; placeholders allowed")
    String body;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'", description = "a header for every request under test, repeatable; placeholders allowed")
    List<String> headers = new ArrayList<>();

    @Option(names = "--read", required = true, paramLabel = "'METHOD /path'", description = "the request that reads the value, before and after, e.g. 'GET /balance/1'")
    String read;

    @Option(names = "--value", paramLabel = "PATH", description = "where the number is in the read's JSON answer: balance, data.items[0].qty (default: the whole body)")
    String value;

    @Option(names = "--expect", paramLabel = "INVARIANT", description = "sum, floor or once (default: ${DEFAULT-VALUE})")
    String expect = "sum";

    @Option(names = "--delta", paramLabel = "N", description = "what each request adds to the value (negative for takes): 10, -1, 2.50")
    BigDecimal delta;

    @Option(names = "--delta-from", paramLabel = "body.PATH", description = "or: each request's delta, from its own body, e.g. body.amount")
    String deltaFrom;

    @Option(names = "--floor", paramLabel = "N", description = "--expect floor: the value must never go below this")
    BigDecimal floor;

    @Option(names = "--key-from", paramLabel = "body.PATH", description = "--expect once: each request's key, from its own body, e.g. body.userId")
    String keyFrom;

    @Option(names = "--ok-when", paramLabel = "'body.PATH == VALUE'", description = "which --ok answers acknowledge, e.g. 'body.success == true'; the others count as rejected")
    String okWhen;

    @Option(names = "--ok", paramLabel = "STATUSES", description = "statuses that acknowledge: 2xx, 200,201, 200-204 (default: ${DEFAULT-VALUE})")
    String ok = StatusClasses.DEFAULT_OK;

    @Option(names = "--rejected", paramLabel = "STATUSES", description = "statuses that refuse with the client told; 'none' for none (default: ${DEFAULT-VALUE})")
    String rejected = StatusClasses.DEFAULT_REJECTED;

    @Option(names = "--setup", paramLabel = "'METHOD /path'", description = "sent first, in order, each must answer 2xx, e.g. 'POST /reset'; repeatable")
    List<String> setup = new ArrayList<>();

    @Option(names = "--requests", paramLabel = "N", description = "requests to send (default: ${DEFAULT-VALUE})")
    int requests = 100;

    @Option(names = "--concurrency", paramLabel = "C", description = "the most in flight at once, one connection each (default: ${DEFAULT-VALUE})")
    int concurrency = 100;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "connect, and wait for each answer; a request with no answer by then is unknown (default: ${DEFAULT-VALUE})")
    long timeoutMs = 30_000;

    @Mixin
    JsonFileOption json = new JsonFileOption();

    @Override
    public Integer call() {
        ProbeSpec probe = ProbeSpec.fromFlags(url, request, body, headers, read, value, expect, delta, deltaFrom, floor, keyFrom,
                okWhen, ok, rejected, setup, requests, concurrency, timeoutMs);
        json.checkWritable();
        ProbeResult result;
        try (SocketTransport transport = new SocketTransport(probe.timeout())) {
            result = new Prober(transport, Clock.SYSTEM, spec.commandLine().getErr()).run(probe);
        }
        json.write(result);
        PrintWriter out = spec.commandLine().getOut();
        out.print(ProbeTable.render(result));
        out.println();
        out.println(result.explanation());
        if (!result.firstError().isEmpty()) out.println("  the first error: " + result.firstError());
        out.flush();
        return result.passed() ? ExitCode.PASS : ExitCode.FAIL;
    }
}

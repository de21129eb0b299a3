package dev.racelab.internal.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.racelab.internal.probe.http.Decimals;
import dev.racelab.internal.probe.http.Outgoing;
import dev.racelab.internal.input.OutsideNumbers;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed server's routes, as the load test uses them: POST /reset, the balance reads, and
 * the deposit itself. It only sends and parses; what an answer means is the caller's call.
 */
final class SeedApi {
    /** Floats as BigDecimal: a balance of 1000.10 must not pass through a double. */
    private static final ObjectReader EXACT = Decimals.EXACT;

    /** An HTTP answer: the status and the body as text. */
    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** "HTTP 404 {"error": ...}", shortened: for one-line messages. */
        String describe() {
            String text = body.strip().replaceAll("\\s+", " ");
            return "HTTP " + status + (text.isEmpty() ? "" : " " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
        }
    }

    /** The server answered, but not with a balance. {@code status} is 404 when the account does not exist. */
    static final class BadAnswer extends Exception {
        private final int status;

        BadAnswer(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final HttpClient client;
    private final LoadSpec spec;
    private final byte[] depositBody;
    private final java.net.URI depositUri;

    SeedApi(HttpClient client, LoadSpec spec) {
        this.client = client;
        this.spec = spec;
        this.depositBody = ("{\"amount\": " + spec.amount() + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.depositUri = spec.uri(spec.endpoint());
    }

    Answer reset() throws IOException, InterruptedException {
        HttpRequest.Builder request = request("/reset").POST(HttpRequest.BodyPublishers.noBody());
        if (spec.adminToken() != null) request.header("X-Admin-Token", spec.adminToken());
        return send(request.build());
    }

    /** The balance in minor units: GET /balance/{id}, or GET /accounts/{id} where the first is a 404. */
    long balance() throws IOException, InterruptedException, BadAnswer {
        String seedPath = "/balance/" + spec.account();
        Answer answer = send(request(seedPath).GET().build());
        String path = seedPath;
        if (answer.status() == 404) {
            path = "/accounts/" + spec.account();
            answer = send(request(path).GET().build());
            if (answer.status() == 404) {
                throw new BadAnswer(404, "no account " + spec.account() + ": GET " + seedPath + " and GET " + path + " answered 404");
            }
        }
        if (!answer.ok()) throw new BadAnswer(answer.status(), "GET " + path + " answered " + answer.describe());
        return balanceIn(answer, path);
    }

    /** Deposit number {@code n} (1..N), ready to send: the headers' {i} become n. */
    Outgoing deposit(int n) {
        List<Outgoing.Header> headers = new ArrayList<>(spec.headers().size() + 2);
        headers.add(new Outgoing.Header("Accept", "application/json"));
        if (spec.headers().stream().noneMatch(h -> h.name().equalsIgnoreCase("Content-Type"))) {
            headers.add(new Outgoing.Header("Content-Type", "application/json"));
        }
        for (RequestHeader h : spec.headers()) headers.add(new Outgoing.Header(h.name(), h.valueFor(n)));
        return new Outgoing("POST", depositUri, headers, depositBody);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(spec.uri(path)).timeout(spec.timeout()).header("Accept", "application/json");
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body() == null ? "" : response.body());
    }

    /** Balances beyond this are refused, so that adding the deposits to them cannot overflow. */
    static final long MAX_BALANCE = Long.MAX_VALUE / 4;

    static long balanceIn(Answer answer, String path) throws BadAnswer {
        JsonNode balance;
        try {
            balance = EXACT.readTree(answer.body()).path("balance");
        } catch (IOException e) {
            throw new BadAnswer(answer.status(), "GET " + path + " answered something that is not JSON: " + answer.describe());
        }
        // a number, or a string holding one: seed 003's Express app answers "1000.00", as mysql2 returns DECIMAL
        BigDecimal value = Decimals.of(balance).orElseThrow(() -> new BadAnswer(answer.status(), "GET " + path
                + " has no numeric \"balance\": " + answer.describe()));
        if (!OutsideNumbers.fits(value)) {
            throw new BadAnswer(answer.status(), "GET " + path + " answered a balance that is out of range: " + OutsideNumbers.show(value));
        }
        try {
            long minor = value.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
            if (Math.abs(minor) > MAX_BALANCE) throw new ArithmeticException("out of range");
            return minor;
        } catch (ArithmeticException e) {
            throw new BadAnswer(answer.status(), "GET " + path + " answered a balance that is not a whole number of cents"
                    + " or is out of range: " + value.toPlainString());
        }
    }
}

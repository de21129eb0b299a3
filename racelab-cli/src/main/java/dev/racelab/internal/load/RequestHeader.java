package dev.racelab.internal.load;

import dev.racelab.core.UsageException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.regex.Pattern;

/**
 * A header every deposit request carries, from {@code --header "Name: value"}. A value may
 * hold {@value #INDEX}, replaced by the request's number (1..N), so that each request can
 * carry its own Idempotency-Key.
 */
public record RequestHeader(String name, String valueTemplate) {
    public static final String INDEX = "{i}";
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public RequestHeader {
        if (name == null || !TOKEN.matcher(name).matches()) throw new UsageException("--header: not a header name: '" + name + "'");
        if (valueTemplate == null || valueTemplate.indexOf('\r') >= 0 || valueTemplate.indexOf('\n') >= 0) {
            throw new UsageException("--header " + name + ": the value must be one line");
        }
        try { // HttpClient refuses some headers (Host, Connection, Content-Length...): say so now, not mid-run
            HttpRequest.newBuilder(URI.create("http://localhost/")).header(name, valueTemplate);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--header " + name + ": " + e.getMessage());
        }
    }

    /** Parses "Name: value". */
    public static RequestHeader parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) throw new UsageException("--header must look like 'Name: value', was '" + text + "'");
        return new RequestHeader(text.substring(0, colon).strip(), text.substring(colon + 1).strip());
    }

    String valueFor(int requestNumber) {
        return valueTemplate.replace(INDEX, Integer.toString(requestNumber));
    }

    boolean isIdempotencyKey() {
        return name.equalsIgnoreCase("Idempotency-Key");
    }

    boolean variesPerRequest() {
        return valueTemplate.contains(INDEX);
    }
}

package dev.racelab.internal.probe.http;

import dev.racelab.core.UsageException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.regex.Pattern;

/** A header every request under test carries, from {@code --header 'Name: value'}; the value may hold placeholders. */
public record HeaderTemplate(String name, Template value) {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public HeaderTemplate {
        if (name == null || !TOKEN.matcher(name).matches()) throw new UsageException("--header: not a header name: '" + name + "'");
        String sample = value.render(1);
        if (sample.indexOf('\r') >= 0 || sample.indexOf('\n') >= 0) throw new UsageException("--header " + name + ": the value must be one line");
        try { // the headers the connection itself owns (Host, Connection, Content-Length...) are refused now, not mid-run
            HttpRequest.newBuilder(URI.create("http://localhost/")).header(name, sample);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--header " + name + ": " + e.getMessage());
        }
        if (name.equalsIgnoreCase("Transfer-Encoding")) throw new UsageException("--header Transfer-Encoding: the body's length is sent for you");
    }

    /** Parses "Name: value". */
    public static HeaderTemplate parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) throw new UsageException("--header must look like 'Name: value', was '" + text + "'");
        String name = text.substring(0, colon).strip();
        return new HeaderTemplate(name, Template.parse("--header " + name, text.substring(colon + 1).strip()));
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}

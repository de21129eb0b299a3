package dev.racelab.internal.probe.http;

import java.net.URI;
import java.util.List;

/** One request ready to send: the method, the whole URI, the headers, and the body (null for none). */
public record Outgoing(String method, URI uri, List<Header> headers, byte[] body) {
    public record Header(String name, String value) {
    }

    public Outgoing {
        headers = List.copyOf(headers);
    }
}

package dev.racelab.internal.probe.http;

import java.nio.charset.StandardCharsets;

/** An HTTP answer: the status and the body's bytes, decoded only when someone reads them. */
public final class Answer {
    private final int status;
    private final byte[] body;
    private String text;

    public Answer(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    public Answer(int status, String text) {
        this.status = status;
        this.body = null;
        this.text = text;
    }

    public int status() {
        return status;
    }

    public boolean is2xx() {
        return status / 100 == 2;
    }

    public String body() {
        if (text == null) text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return text;
    }

    /** "HTTP 404 {"error": ...}", shortened: for one-line messages. */
    public String describe() {
        String t = body().strip().replaceAll("\\s+", " ");
        return "HTTP " + status + (t.isEmpty() ? "" : " " + (t.length() > 200 ? t.substring(0, 200) + "..." : t));
    }
}

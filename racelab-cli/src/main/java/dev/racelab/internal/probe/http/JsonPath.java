package dev.racelab.internal.probe.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.racelab.core.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path into a JSON document: names separated by dots, array indexes in brackets, as in
 * {@code balance} or {@code data.items[0].qty}. The empty path is the document itself.
 */
public final class JsonPath {
    private static final Pattern STEP = Pattern.compile("\\.?([^.\\[\\]\\s]+)|\\[([0-9]{1,9})]");

    private sealed interface Step permits Field, Index {
    }

    private record Field(String name) implements Step {
        @Override
        public String toString() {
            return name;
        }
    }

    private record Index(int index) implements Step {
        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }

    private final String text;
    private final List<Step> steps;

    private JsonPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = List.copyOf(steps);
    }

    /** Parses {@code text}; {@code flag} names it in errors. */
    public static JsonPath parse(String flag, String text) {
        List<Step> steps = new ArrayList<>();
        Matcher m = STEP.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at || (at == 0 && text.startsWith("."))) {
                throw new UsageException(flag + ": '" + text + "' is not a JSON path; write it as balance, data.items[0].qty");
            }
            steps.add(m.group(1) != null ? new Field(m.group(1)) : new Index(Integer.parseInt(m.group(2))));
            at = m.end();
        }
        return new JsonPath(text, steps);
    }

    /**
     * Parses a path into a request's or answer's body, written with the {@code body.} prefix
     * ({@code body.amount}); {@code body} alone is the whole body.
     */
    public static JsonPath parseBodyPath(String flag, String text) {
        if (text.equals("body")) return new JsonPath(text, List.of());
        if (!text.startsWith("body.") && !text.startsWith("body[")) {
            throw new UsageException(flag + ": '" + text + "' must start with body., as in body.amount");
        }
        JsonPath inner = parse(flag, text.substring(text.startsWith("body.") ? 5 : 4));
        return new JsonPath(text, inner.steps);
    }

    /** The node at this path, or a missing node. */
    public JsonNode find(JsonNode root) {
        JsonNode node = root;
        for (Step s : steps) {
            node = switch (s) {
                case Field f -> node.isObject() ? node.path(f.name()) : MissingNode.getInstance();
                case Index i -> node.isArray() ? node.path(i.index()) : MissingNode.getInstance();
            };
            if (node.isMissingNode()) return node;
        }
        return node;
    }

    /** Where the path stops matching, for an error: "data has no items", "data.items has no [3]". */
    public String whyMissing(JsonNode root) {
        JsonNode node = root;
        StringBuilder at = new StringBuilder();
        for (Step s : steps) {
            JsonNode next = switch (s) {
                case Field f -> node.isObject() ? node.path(f.name()) : MissingNode.getInstance();
                case Index i -> node.isArray() ? node.path(i.index()) : MissingNode.getInstance();
            };
            String where = at.isEmpty() ? "the answer" : at.toString();
            if (next.isMissingNode()) {
                if (s instanceof Field && !node.isObject()) return where + " is not an object";
                if (s instanceof Index && !node.isArray()) return where + " is not an array";
                return where + " has no " + s;
            }
            if (s instanceof Field && !at.isEmpty()) at.append('.');
            at.append(s);
            node = next;
        }
        return "";
    }

    public boolean isWhole() {
        return steps.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}

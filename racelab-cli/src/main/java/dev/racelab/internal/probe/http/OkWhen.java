package dev.racelab.internal.probe.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.UsageException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which acknowledged answers really acknowledge: {@code body.success == true}. A server that
 * answers a duplicate with 200 {@code {"success": false}} told the client no, so that answer
 * counts as a refusal. The right side is a JSON literal (true, false, null, a number, a
 * "string"); numbers compare as decimals, so 1 equals 1.0.
 */
public record OkWhen(JsonPath path, boolean equal, JsonNode literal, String text) {
    private static final Pattern SHAPE = Pattern.compile("\\s*(\\S+?)\\s*(==|!=)\\s*(.+?)\\s*");

    public static OkWhen parse(String text) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) throw new UsageException("--ok-when must look like 'body.success == true', was '" + text + "'");
        JsonPath path = JsonPath.parseBodyPath("--ok-when", m.group(1));
        JsonNode literal = Decimals.json(m.group(3)).filter(n -> n.isValueNode())
                .orElseThrow(() -> new UsageException("--ok-when: '" + m.group(3) + "' is not a JSON value; write true, false,"
                        + " null, a number or a \"string\""));
        return new OkWhen(path, m.group(2).equals("=="), literal, text.strip());
    }

    /** Whether this answer's body passes; a body that is not JSON, or lacks the path, does not. */
    public boolean test(String body) {
        Optional<JsonNode> json = Decimals.json(body);
        if (json.isEmpty()) return false;
        JsonNode node = path.find(json.get());
        if (node.isMissingNode()) return false;
        return same(node) == equal;
    }

    private boolean same(JsonNode node) {
        if (literal.isNumber()) {
            Optional<BigDecimal> d = node.isNumber() ? Optional.of(node.decimalValue()) : Optional.empty();
            return d.isPresent() && d.get().compareTo(literal.decimalValue()) == 0;
        }
        return literal.equals(node);
    }

    @Override
    public String toString() {
        return text;
    }
}

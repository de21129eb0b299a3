package dev.racelab.internal.probe.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.racelab.internal.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Values as exact decimals, never floating point. A JSON number is one; so is a string that
 * holds a decimal number (mysql2 answers DECIMAL columns as "1000.00"), and so is a plain
 * text body holding one.
 */
public final class Decimals {
    /** Floats as BigDecimal: a balance of 1000.10 must not pass through a double. */
    public static final ObjectReader EXACT = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES); // 1000.00 stays 1000.00, as the server wrote it
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,4})?");

    private Decimals() {
    }

    /** The JSON document in {@code text}, or empty when it is not JSON. */
    public static Optional<JsonNode> json(String text) {
        try {
            JsonNode node = EXACT.readTree(text);
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The decimal a node holds: a number, or a string that is one. */
    public static Optional<BigDecimal> of(JsonNode node) {
        if (node.isNumber()) return Optional.of(node.decimalValue());
        if (node.isTextual()) return parse(node.textValue());
        return Optional.empty();
    }

    /** A decimal written as text, surrounding blanks allowed. */
    public static Optional<BigDecimal> parse(String text) {
        String t = text.strip();
        if (!DECIMAL.matcher(t).matches()) return Optional.empty();
        return Optional.of(new BigDecimal(t));
    }

    /** How a value appears in a table: the plain digits, never 1E+3. */
    public static String format(BigDecimal value) {
        return value.toPlainString();
    }
}

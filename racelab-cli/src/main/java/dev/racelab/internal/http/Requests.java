package dev.racelab.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.Money;
import java.math.BigDecimal;

/** Reads and checks request input. Anything malformed or out of range is a 400, never a 500. */
final class Requests {
    private Requests() {
    }

    /** A path or body id: a whole number from 1 to 2^31-1. */
    static int id(String what, String text) {
        if (text == null || !text.matches("[0-9]{1,10}")) throw ApiException.badRequest(what + " must be a positive whole number, was '" + text + "'");
        long id = Long.parseLong(text);
        if (id < 1 || id > Integer.MAX_VALUE) throw ApiException.badRequest(what + " must be between 1 and " + Integer.MAX_VALUE + ", was " + text);
        return (int) id;
    }

    static int id(JsonNode body, String field) {
        JsonNode node = field(body, field);
        if (!node.isIntegralNumber()) throw ApiException.badRequest(field + " must be a whole number, was " + node);
        return id(field, node.bigIntegerValue().toString());
    }

    /** A positive amount with at most two decimals, in minor units. Strings, NaN and exponents beyond range are refused. */
    static long amount(JsonNode body, String field) {
        JsonNode node = field(body, field);
        if (!node.isNumber()) throw ApiException.badRequest(field + " must be a number, was " + node);
        BigDecimal value = node.decimalValue();
        try {
            return Money.parsePositive(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static long quantity(JsonNode body) {
        if (body == null || body.get("quantity") == null) return 1;
        JsonNode node = body.get("quantity");
        if (!node.isIntegralNumber() || node.bigIntegerValue().signum() <= 0 || node.bigIntegerValue().bitLength() > 40) {
            throw ApiException.badRequest("quantity must be a whole number from 1 to 10^12, was " + node);
        }
        return node.longValue();
    }

    private static JsonNode field(JsonNode body, String field) {
        if (body == null || !body.isObject()) throw ApiException.badRequest("the body must be a JSON object with " + field);
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) throw ApiException.badRequest(field + " is required");
        return node;
    }
}

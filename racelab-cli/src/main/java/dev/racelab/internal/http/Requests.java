package dev.racelab.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.Money;
import dev.racelab.internal.input.OutsideNumbers;

/**
 * Reads and checks request input. Anything malformed or out of range is a 400, never a 500;
 * numbers are bounded before any arithmetic, and a message quotes at most a short excerpt of
 * what was sent.
 */
final class Requests {
    /** Digits an id may have: 2^31-1 has 10. */
    private static final int ID_DIGITS = 10;
    /** The most units one order takes. */
    static final long MAX_QUANTITY = 1_000_000_000_000L;

    private Requests() {
    }

    /** A path or body id: a whole number from 1 to 2^31-1. */
    static int id(String what, String text) {
        if (text == null || text.length() > ID_DIGITS || !text.matches("[0-9]{1," + ID_DIGITS + "}")) {
            throw ApiException.badRequest(what + " must be a positive whole number, was '" + OutsideNumbers.excerpt(text) + "'");
        }
        long id = Long.parseLong(text);
        if (id < 1 || id > Integer.MAX_VALUE) throw ApiException.badRequest(what + " must be between 1 and " + Integer.MAX_VALUE + ", was " + text);
        return (int) id;
    }

    static int id(JsonNode body, String field) {
        JsonNode node = field(body, field);
        if (!node.isIntegralNumber()) throw ApiException.badRequest(field + " must be a whole number, was " + shown(node));
        if (!node.canConvertToLong()) throw ApiException.badRequest(field + " must be between 1 and " + Integer.MAX_VALUE + ", was " + shown(node));
        return id(field, Long.toString(node.longValue()));
    }

    /** A positive amount with at most two decimals, in minor units. Strings, NaN and exponents beyond range are refused. */
    static long amount(JsonNode body, String field) {
        JsonNode node = field(body, field);
        if (!node.isNumber()) throw ApiException.badRequest(field + " must be a number, was " + shown(node));
        try {
            return Money.parsePositive(node.decimalValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static long quantity(JsonNode body) {
        if (body == null || body.get("quantity") == null) return 1;
        JsonNode node = body.get("quantity");
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1 || node.longValue() > MAX_QUANTITY) {
            throw ApiException.badRequest("quantity must be a whole number from 1 to 10^12, was " + shown(node));
        }
        return node.longValue();
    }

    /** A node as a message quotes it: its JSON, cut short. */
    static String shown(JsonNode node) {
        if (node.isBigDecimal()) return OutsideNumbers.show(node.decimalValue());
        return OutsideNumbers.excerpt(node.toString());
    }

    private static JsonNode field(JsonNode body, String field) {
        if (body == null || !body.isObject()) throw ApiException.badRequest("the body must be a JSON object with " + field);
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) throw ApiException.badRequest(field + " is required");
        return node;
    }
}

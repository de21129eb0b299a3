package dev.racelab.internal.probe.sql;

import dev.racelab.internal.input.OutsideNumbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The check's expression: numbers (compared as decimals, so 1010.00 = 1010), 'strings', null,
 * names ({@code balance}, {@code s1.read.balance}, {@code s1.committed}, {@code committed}), a
 * column label as the server writes it ({@code sum(balance)}, {@code count(*)}), + - * /,
 * = != <> < <= > >=, and, or, not, parentheses, coalesce(a, b) and abs(x).
 *
 * <p>A comparison with a missing value (null) is false, except {@code = null}; so a check on a
 * read that did not happen ({@code s2.read.value <> 101}) holds.
 */
public final class CheckExpression {
    /** Text longer than this is not parsed as a number: no value racelab checks is written that long. */
    private static final int MAX_NUMBER_CHARS = 1_000;
    private final Node root;
    private final Set<String> references;

    private CheckExpression(Node root, Set<String> references) {
        this.root = root;
        this.references = Set.copyOf(references);
    }

    /** A syntax error, with the position in the expression. */
    public static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message);
        }
    }

    /** A number the database answered that is beyond what the check computes with. */
    public static final class OutOfRange extends RuntimeException {
        OutOfRange(String message) {
            super(message);
        }
    }

    /** A name the expression uses that nothing defines. */
    public static final class UnknownName extends RuntimeException {
        UnknownName(String message) {
            super(message);
        }
    }

    public static CheckExpression parse(String text) {
        Parser p = new Parser(text);
        Node root = p.or();
        p.skipSpace();
        if (p.pos < text.length()) throw new SyntaxError("unexpected '" + text.substring(p.pos) + "' at character " + (p.pos + 1) + " of: " + text);
        return new CheckExpression(root, p.references);
    }

    /** Whether it says something holds (a comparison, and, or, not) rather than giving a value to compare with. */
    public boolean isComparison() {
        return root instanceof Compare || root instanceof Logic || root instanceof Not;
    }

    public Set<String> references() {
        return references;
    }

    /** The expression's value; names are looked up lower case in {@code values}. */
    public Object evaluate(Map<String, Object> values) {
        return root.eval(values);
    }

    /** The two sides of a check that is one comparison, as written and as evaluated: to say by how much it missed. */
    public record Sides(String leftText, Object left, String op, String rightText, Object right) {
    }

    /** Empty unless the whole expression is one comparison ({@code balance = 1000 + 10 * committed}). */
    public java.util.Optional<Sides> sides(Map<String, Object> values) {
        if (!(root instanceof Compare c)) return java.util.Optional.empty();
        return java.util.Optional.of(new Sides(c.leftText(), c.left().eval(values), c.op(), c.rightText(), c.right().eval(values)));
    }

    /** Whether two values are equal as racelab compares them: numbers as decimals. */
    public static boolean same(Object a, Object b) {
        return compare(a, b) == 0;
    }

    private interface Node {
        Object eval(Map<String, Object> values);
    }

    private record Literal(Object value) implements Node {
        public Object eval(Map<String, Object> values) {
            return value;
        }
    }

    private record Name(String name, String fallback) implements Node {
        public Object eval(Map<String, Object> values) {
            if (values.containsKey(name)) return bounded(name, values.get(name));
            if (fallback != null && values.containsKey(fallback)) return bounded(fallback, values.get(fallback));
            if (name.chars().filter(c -> c == '.').count() == 2) return null; // a step's read that did not happen
            throw new UnknownName("the check uses '" + name + "', which no check query returned; known: "
                    + String.join(", ", new java.util.TreeSet<>(values.keySet())));
        }
    }

    private record Arith(char op, Node left, Node right) implements Node {
        public Object eval(Map<String, Object> values) {
            BigDecimal a = number(left.eval(values));
            BigDecimal b = number(right.eval(values));
            if (a == null || b == null) return null;
            return switch (op) {
                case '+' -> a.add(b);
                case '-' -> a.subtract(b);
                case '*' -> a.multiply(b);
                default -> b.signum() == 0 ? null : a.divide(b, java.math.MathContext.DECIMAL64);
            };
        }
    }

    private record Negate(Node inner) implements Node {
        public Object eval(Map<String, Object> values) {
            BigDecimal a = number(inner.eval(values));
            return a == null ? null : a.negate();
        }
    }

    private record Compare(String op, Node left, Node right, String leftText, String rightText) implements Node {
        public Object eval(Map<String, Object> values) {
            Object a = left.eval(values);
            Object b = right.eval(values);
            if (a == null || b == null) {
                boolean both = a == null && b == null;
                return switch (op) {
                    case "=" -> both;
                    case "<>" -> !both;
                    default -> false;
                };
            }
            int c = compare(a, b);
            return switch (op) {
                case "=" -> c == 0;
                case "<>" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }
    }

    private record Logic(boolean and, Node left, Node right) implements Node {
        public Object eval(Map<String, Object> values) {
            boolean a = truth(left.eval(values));
            return and ? a && truth(right.eval(values)) : a || truth(right.eval(values));
        }
    }

    private record Not(Node inner) implements Node {
        public Object eval(Map<String, Object> values) {
            return !truth(inner.eval(values));
        }
    }

    private record Call(String function, List<Node> args) implements Node {
        public Object eval(Map<String, Object> values) {
            if (function.equals("coalesce")) {
                for (Node a : args) {
                    Object v = a.eval(values);
                    if (v != null) return v;
                }
                return null;
            }
            BigDecimal v = number(args.get(0).eval(values));
            return v == null ? null : v.abs();
        }
    }

    /** A value the database answered, refused before any arithmetic when it is a number out of range. */
    private static Object bounded(String name, Object value) {
        if (value instanceof String s && s.length() > MAX_NUMBER_CHARS) {
            if (!looksNumeric(s)) return value; // long text, compared as text
            throw new OutOfRange("the check reads " + name + " = " + OutsideNumbers.excerpt(s) + ", a number of more than "
                    + MAX_NUMBER_CHARS + " characters");
        }
        BigDecimal n = number(value);
        if (n != null && !OutsideNumbers.fits(n)) {
            throw new OutOfRange("the check reads " + name + " = " + OutsideNumbers.show(n) + ", out of range ("
                    + OutsideNumbers.LIMITS + ")");
        }
        return value;
    }

    private static boolean looksNumeric(String s) {
        String t = s.strip();
        return !t.isEmpty() && t.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E');
    }

    static boolean truth(Object v) {
        if (v instanceof Boolean b) return b;
        BigDecimal n = number(v);
        return n != null && n.signum() != 0;
    }

    static BigDecimal number(Object v) {
        if (v == null) return null;
        if (v instanceof BigDecimal d) return d;
        if (v instanceof Boolean b) return b ? BigDecimal.ONE : BigDecimal.ZERO;
        try {
            return new BigDecimal(v instanceof Number n ? n.toString() : v.toString().trim()); // a double's NaN is no number
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int compare(Object a, Object b) {
        if (a == null || b == null) return a == b ? 0 : 1;
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) return x.compareTo(y);
        return a.toString().compareTo(b.toString());
    }

    private static final class Parser {
        private static final Set<String> FUNCTIONS = Set.of("coalesce", "abs");
        final String text;
        int pos;
        final Set<String> references = new LinkedHashSet<>();

        Parser(String text) {
            this.text = text;
        }

        Node or() {
            Node left = and();
            while (word("or")) left = new Logic(false, left, and());
            return left;
        }

        Node and() {
            Node left = not();
            while (word("and")) left = new Logic(true, left, not());
            return left;
        }

        Node not() {
            if (word("not")) return new Not(not());
            return comparison();
        }

        Node comparison() {
            skipSpace();
            int start = pos;
            Node left = sum();
            String leftText = text.substring(start, pos).strip();
            skipSpace();
            for (String op : List.of("<=", ">=", "<>", "!=", "==", "=", "<", ">")) {
                if (text.startsWith(op, pos)) {
                    pos += op.length();
                    String normal = switch (op) {
                        case "!=" -> "<>";
                        case "==" -> "=";
                        default -> op;
                    };
                    int rightStart = pos;
                    Node right = sum();
                    return new Compare(normal, left, right, leftText, text.substring(rightStart, pos).strip());
                }
            }
            return left;
        }

        Node sum() {
            Node left = product();
            while (true) {
                skipSpace();
                if (peek('+') || peek('-')) {
                    char op = text.charAt(pos++);
                    left = new Arith(op, left, product());
                } else {
                    return left;
                }
            }
        }

        Node product() {
            Node left = unary();
            while (true) {
                skipSpace();
                if (peek('*') || peek('/')) {
                    char op = text.charAt(pos++);
                    left = new Arith(op, left, unary());
                } else {
                    return left;
                }
            }
        }

        Node unary() {
            skipSpace();
            if (peek('-')) {
                pos++;
                return new Negate(unary());
            }
            return primary();
        }

        Node primary() {
            skipSpace();
            if (pos >= text.length()) throw new SyntaxError("the expression ends too early: " + text);
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                Node inner = or();
                expect(')');
                return inner;
            }
            if (Character.isDigit(c) || c == '.') {
                int start = pos;
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) pos++;
                if (pos - start > OutsideNumbers.MAX_DIGITS) {
                    throw new SyntaxError("a number of more than " + OutsideNumbers.MAX_DIGITS + " digits: "
                            + OutsideNumbers.excerpt(text.substring(start, pos)));
                }
                try {
                    return new Literal(new BigDecimal(text.substring(start, pos)));
                } catch (NumberFormatException e) {
                    throw new SyntaxError("'" + text.substring(start, pos) + "' is not a number");
                }
            }
            if (c == '\'') {
                int end = text.indexOf('\'', pos + 1);
                if (end < 0) throw new SyntaxError("a string is not closed: " + text.substring(pos));
                String s = text.substring(pos + 1, end);
                pos = end + 1;
                return new Literal(s);
            }
            if (Character.isLetter(c) || c == '_') return name();
            throw new SyntaxError("unexpected '" + c + "' at character " + (pos + 1) + " of: " + text);
        }

        Node name() {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_' || text.charAt(pos) == '.')) pos++;
            String name = text.substring(start, pos).toLowerCase(Locale.ROOT);
            switch (name) {
                case "null":
                    return new Literal(null);
                case "true":
                    return new Literal(Boolean.TRUE);
                case "false":
                    return new Literal(Boolean.FALSE);
                default:
                    break;
            }
            skipSpace();
            if (peek('(')) {
                if (FUNCTIONS.contains(name)) {
                    pos++;
                    List<Node> args = new ArrayList<>();
                    args.add(or());
                    skipSpace();
                    while (peek(',')) {
                        pos++;
                        args.add(or());
                        skipSpace();
                    }
                    expect(')');
                    if (name.equals("abs") && args.size() != 1) throw new SyntaxError("abs takes one argument");
                    return new Call(name, args);
                }
                int close = text.indexOf(')', pos);
                if (close < 0) throw new SyntaxError("'(' after " + name + " is not closed");
                String label = (name + text.substring(pos, close + 1)).toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
                pos = close + 1;
                references.add(label);
                return new Name(label, name); // MariaDB labels a column sum(balance); PostgreSQL labels it sum
            }
            references.add(name);
            return new Name(name, null);
        }

        boolean word(String w) {
            skipSpace();
            int end = pos + w.length();
            if (text.regionMatches(true, pos, w, 0, w.length())
                    && (end >= text.length() || !(Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'))) {
                pos = end;
                return true;
            }
            return false;
        }

        void expect(char c) {
            skipSpace();
            if (!peek(c)) throw new SyntaxError("expected '" + c + "' at character " + (pos + 1) + " of: " + text);
            pos++;
        }

        boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }
    }
}

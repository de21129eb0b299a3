package dev.racelab.internal.probe.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL of a step: split into statements at semicolons, and {@code :name} variables turned
 * into JDBC parameters. Quoted strings, quoted names, dollar quotes, comments and {@code ::}
 * casts are left alone.
 */
final class SqlText {
    private SqlText() {
    }

    /** A statement with its variables replaced by {@code ?}, and the variables in order. */
    record Bound(String sql, List<String> variables) {
    }

    /** The statements in {@code text}, each trimmed, empty ones dropped. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int skip = quotedEnd(text, i);
            if (skip > i) {
                current.append(text, i, skip);
                i = skip;
                continue;
            }
            char c = text.charAt(i);
            if (c == ';') {
                add(out, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
            i++;
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder statement) {
        String s = statement.toString().strip();
        if (!s.isEmpty()) out.add(s);
    }

    static Bound bind(String statement) {
        StringBuilder sql = new StringBuilder();
        List<String> variables = new ArrayList<>();
        int i = 0;
        while (i < statement.length()) {
            int skip = quotedEnd(statement, i);
            if (skip > i) {
                sql.append(statement, i, skip);
                i = skip;
                continue;
            }
            char c = statement.charAt(i);
            if (c == ':' && i + 1 < statement.length() && statement.charAt(i + 1) == ':') {
                sql.append("::");
                i += 2;
                continue;
            }
            if (c == ':' && i + 1 < statement.length() && isStart(statement.charAt(i + 1))
                    && (i == 0 || !Character.isLetterOrDigit(statement.charAt(i - 1)))) {
                int end = i + 1;
                while (end < statement.length() && isPart(statement.charAt(end))) end++;
                variables.add(statement.substring(i + 1, end).toLowerCase(Locale.ROOT));
                sql.append('?');
                i = end;
                continue;
            }
            sql.append(c);
            i++;
        }
        return new Bound(sql.toString(), List.copyOf(variables));
    }

    /** The first keyword, upper case: BEGIN, COMMIT, SELECT. */
    static String keyword(String statement) {
        String s = statement.stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) end++;
        return s.substring(0, end).toUpperCase(Locale.ROOT);
    }

    static boolean startsTransaction(String statement) {
        String k = keyword(statement);
        return k.equals("BEGIN") || k.equals("START");
    }

    static boolean endsTransaction(String statement) {
        String k = keyword(statement);
        return k.equals("COMMIT") || k.equals("ROLLBACK") || k.equals("END") || k.equals("ABORT");
    }

    static boolean rollsBack(String statement) {
        String k = keyword(statement);
        return k.equals("ROLLBACK") || k.equals("ABORT");
    }

    private static boolean isStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Where the quoted string, name or comment starting at {@code i} ends; {@code i} when none starts there. */
    private static int quotedEnd(String s, int i) {
        char c = s.charAt(i);
        if (c == '\'' || c == '"' || c == '`') {
            int j = i + 1;
            while (j < s.length()) {
                if (s.charAt(j) == c) {
                    if (j + 1 < s.length() && s.charAt(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                if (s.charAt(j) == '\\' && c == '\'') j++;
                j++;
            }
            return s.length();
        }
        if (c == '-' && s.startsWith("--", i)) {
            int nl = s.indexOf('\n', i);
            return nl < 0 ? s.length() : nl;
        }
        if (c == '/' && s.startsWith("/*", i)) {
            int end = s.indexOf("*/", i + 2);
            return end < 0 ? s.length() : end + 2;
        }
        if (c == '$') {
            int j = i + 1;
            while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
            if (j < s.length() && s.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(s.charAt(i + 1)))) {
                String tag = s.substring(i, j + 1);
                int end = s.indexOf(tag, j + 1);
                return end < 0 ? s.length() : end + tag.length();
            }
        }
        return i;
    }
}

package dev.racelab.library;

import dev.racelab.core.InvalidFieldException;
import java.util.regex.Pattern;

/** Table and column names go into SQL text, so only plain identifiers are accepted. */
final class SqlName {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    private SqlName() {}

    static String check(String field, String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw InvalidFieldException.must(field, "must be a plain SQL identifier (letters, digits, _; schema.table allowed), was '" + name + "'");
        }
        return name;
    }
}

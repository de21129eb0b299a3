package dev.racelab.core;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A value that breaks a rule of the domain, naming the field it came in: {@code stock},
 * {@code retry.maxAttempts}, {@code leaseStore}. The domain knows nothing of flags or JSON;
 * the CLI shows the field as its flag ({@code --stock}) and the HTTP layer as its JSON name,
 * each through {@link #render}.
 */
public class InvalidFieldException extends UsageException {
    /** Where the field's name goes in the message template. */
    public static final String FIELD = "{field}";

    private final String field;
    private final String template;

    private InvalidFieldException(String field, String template) {
        super(template.replace(FIELD, field));
        this.field = Objects.requireNonNull(field, "field");
        this.template = template;
    }

    /** "{field} {problem}": {@code must(stock, "must not be negative, was -1")}. */
    public static InvalidFieldException must(String field, String problem) {
        return new InvalidFieldException(field, FIELD + " " + problem);
    }

    /** A whole sentence about the field; {@link #FIELD} marks where its name goes, if anywhere. */
    public static InvalidFieldException about(String field, String sentence) {
        return new InvalidFieldException(field, sentence);
    }

    public String field() {
        return field;
    }

    /** The message with the field shown as {@code shown} gives it (a flag, a JSON name). */
    public String render(UnaryOperator<String> shown) {
        return template.replace(FIELD, shown.apply(field));
    }
}

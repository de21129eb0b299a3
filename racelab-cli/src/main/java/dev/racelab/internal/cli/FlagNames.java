package dev.racelab.internal.cli;

import java.util.Map;

/** The flag each domain field is given by: where a domain error's field becomes words on the command line. */
final class FlagNames {
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("think", "--think-ms"),
            Map.entry("crashes", "--crash-between-steps"),
            Map.entry("leaseStore", "--lease-store"),
            Map.entry("logStore", "--log-store"),
            Map.entry("retry.maxAttempts", "--retry-max-attempts"),
            Map.entry("retry.baseDelay", "--retry-base-ms"),
            Map.entry("retry.maxDelay", "--retry-max-delay-ms"),
            Map.entry("retry.deadline", "--retry-deadline-ms"));

    private FlagNames() {
    }

    /** The flag of a field: its own entry, else the field in kebab case ({@code stock} is {@code --stock}). */
    static String of(String field) {
        String flag = FLAGS.get(field);
        return flag != null ? flag : "--" + field.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.racelab.internal.settings;

import java.util.Objects;

/**
 * One thing a store needs to know, such as its URL: the flag that sets it, the environment
 * variable read when the flag is absent, and the default after both. {@code key} is the flag
 * without its dashes. A null default means none (DynamoDB without a URL starts DynamoDB Local).
 */
public record Setting(String key, String env, String defaultValue, String label, String description) {
    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
    }

    public String flag() {
        return "--" + key;
    }
}

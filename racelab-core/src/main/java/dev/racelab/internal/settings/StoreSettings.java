package dev.racelab.internal.settings;

import java.util.HashMap;
import java.util.Map;

/**
 * The values of the stores' {@link Setting settings}: a flag wins over the environment, which
 * wins over the setting's default.
 */
public final class StoreSettings {
    private final Map<String, String> flags;
    private final Map<String, String> env;

    private StoreSettings(Map<String, String> flags, Map<String, String> env) {
        this.flags = Map.copyOf(flags);
        this.env = Map.copyOf(env);
    }

    /** {@code flags}: the values given on the command line, by setting key; absent when not given. */
    public static StoreSettings of(Map<String, String> flags, Map<String, String> env) {
        Map<String, String> given = new HashMap<>();
        flags.forEach((k, v) -> {
            if (v != null) given.put(k, v);
        });
        return new StoreSettings(given, env);
    }

    /** This process's environment, no flags. */
    public static StoreSettings fromEnvironment() {
        return of(Map.of(), System.getenv());
    }

    /** The setting's value, or null when neither a flag, the environment nor a default gives one. */
    public String get(Setting setting) {
        String value = flags.get(setting.key());
        if (blank(value) && setting.env() != null) value = env.get(setting.env());
        return blank(value) ? setting.defaultValue() : value;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

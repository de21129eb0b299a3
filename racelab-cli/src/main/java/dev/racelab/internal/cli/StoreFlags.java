package dev.racelab.internal.cli;

import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.settings.Setting;
import dev.racelab.internal.settings.StoreSettings;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The stores' settings as flags: every setting a registered store reads becomes an option of
 * each command that opens stores, so a new store's URL flag needs no CLI code.
 */
final class StoreFlags {
    private static final String MIXIN = "store-settings";

    private StoreFlags() {
    }

    /** Adds one option per setting to the command, with its environment variable and default in the help. */
    static void addTo(CommandSpec command, StoreRegistry registry) {
        CommandSpec mixin = CommandSpec.create();
        for (Setting s : registry.settings()) {
            String where = s.env() == null ? "" : "env " + s.env();
            String fallback = s.defaultValue() == null ? "" : "default " + s.defaultValue();
            String suffix = where.isEmpty() && fallback.isEmpty() ? ""
                    : " (" + where + (where.isEmpty() || fallback.isEmpty() ? "" : "; ") + fallback + ")";
            mixin.addOption(OptionSpec.builder(s.flag()).paramLabel(s.label()).type(String.class)
                    .description(s.description() + suffix).build());
        }
        command.addMixin(MIXIN, mixin);
    }

    /** The values given on the command line, over the environment, over the defaults. */
    static StoreSettings settings(CommandSpec command) {
        return settings(command, Map.of());
    }

    /** The same, with {@code beneath} (a lab's URLs, by setting key) between the flags and the environment. */
    static StoreSettings settings(CommandSpec command, Map<String, String> beneath) {
        Map<String, String> given = new HashMap<>(beneath);
        for (Setting s : StoreRegistry.current().settings()) {
            OptionSpec option = command.findOption(s.flag());
            if (option != null && option.getValue() != null) given.put(s.key(), option.getValue());
        }
        return StoreSettings.of(given, System.getenv());
    }
}

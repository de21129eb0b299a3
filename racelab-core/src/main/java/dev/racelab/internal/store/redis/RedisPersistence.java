package dev.racelab.internal.store.redis;

import dev.racelab.core.InvalidFieldException;
import java.util.Arrays;
import java.util.List;

/** What a Redis that racelab starts keeps on disk, and so what a restart of it keeps. */
public enum RedisPersistence {
    /** Nothing: as this machine's Redis is configured. A restart loses every write. */
    NONE("none", List.of("save \"\"", "appendonly no")),
    /** An append-only file fsynced after every write: a restart loses no acknowledged write. */
    AOF_ALWAYS("aof-always", List.of("save \"\"", "appendonly yes", "appendfsync always"));

    private final String flagName;
    private final List<String> settings;

    RedisPersistence(String flagName, List<String> settings) {
        this.flagName = flagName;
        this.settings = settings;
    }

    public String flagName() {
        return flagName;
    }

    List<String> settings() {
        return settings;
    }

    static RedisPersistence named(String name) {
        return Arrays.stream(values()).filter(p -> p.flagName.equals(name)).findFirst()
                .orElseThrow(() -> InvalidFieldException.about("redisPersistence", "{field} is one of "
                        + String.join(", ", Arrays.stream(values()).map(RedisPersistence::flagName).toList()) + ", not '" + name + "'"));
    }
}

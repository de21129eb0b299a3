package dev.racelab.internal.lab;

import java.util.Map;

/** How a run reaches a lab's store: the store provider that opens it and the settings (by key) that point it at the lab. */
public record LabRunStore(String store, Map<String, String> settings) {
    public LabRunStore {
        settings = Map.copyOf(settings);
    }
}

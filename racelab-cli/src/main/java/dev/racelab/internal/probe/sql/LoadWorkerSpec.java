package dev.racelab.internal.probe.sql;

import java.util.List;
import java.util.Objects;

/** What a load worker process needs, written by {@link LoadFleet} as JSON: where to connect, the workspace, the sessions and the plan. */
public record LoadWorkerSpec(String url, String workspace, List<ProbeSpec.Session> sessions, LoadPlan plan) {
    public LoadWorkerSpec {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(workspace, "workspace");
        sessions = List.copyOf(sessions);
        Objects.requireNonNull(plan, "plan");
    }
}

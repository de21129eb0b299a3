package dev.racelab.internal.probe.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A probe sql spec: setup and teardown statements, two or more sessions of named steps, the
 * permutations to run (none: every interleaving) and the check. Built by {@link SpecParser},
 * which has already validated every name.
 */
public record ProbeSpec(String name, String source, List<String> setup, List<String> teardown, List<Session> sessions,
                        List<List<Step>> permutations, Check check, String violation) {
    public ProbeSpec {
        setup = List.copyOf(setup);
        teardown = List.copyOf(teardown);
        sessions = List.copyOf(sessions);
        permutations = permutations.stream().map(List::copyOf).toList();
        Objects.requireNonNull(check, "check");
        violation = violation == null || violation.isBlank() ? "break the check" : violation.strip();
    }

    /** One session: a connection of its own, at its isolation level (null: the server's default). */
    public record Session(String name, IsolationLevel isolation, List<Step> steps) {
        public Session {
            steps = List.copyOf(steps);
        }
    }

    /** One step: one or more statements sent in turn by its session; {@code s1.read}. */
    public record Step(String session, String name, List<String> statements) {
        public Step {
            statements = List.copyOf(statements);
        }

        public String id() {
            return session + "." + name;
        }

        @Override
        public String toString() {
            return id();
        }
    }

    /**
     * The check: named queries (each gives its first row's columns, and under its own name its
     * first column) and the expression that must hold, or a value the single query must return.
     */
    public record Check(Map<String, String> queries, String expect) {
        public Check {
            queries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(queries));
        }
    }

    public Session session(String name) {
        return sessions.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** The same spec with every session at {@code level}: how racelab isolation runs its catalogue. */
    public ProbeSpec atLevel(IsolationLevel level) {
        List<Session> leveled = new ArrayList<>();
        for (Session s : sessions) leveled.add(new Session(s.name(), level, s.steps()));
        return new ProbeSpec(name, source, setup, teardown, leveled, permutations, check, violation);
    }

    /** The permutations listed, or every interleaving of the sessions' steps. */
    public List<List<Step>> schedules() {
        return permutations.isEmpty() ? Permutations.interleavings(sessions) : permutations;
    }
}

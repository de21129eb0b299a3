package dev.racelab.internal.probe.sql;

import dev.racelab.core.UsageException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a probe sql spec from YAML. Every error names the file, line and column of the value at
 * fault, and is raised before any statement runs.
 */
public final class SpecParser {
    private static final Set<String> TOP = Set.of("name", "description", "violation", "setup", "teardown", "sessions",
            "permutations", "check");
    private static final Set<String> SESSION = Set.of("isolation", "steps");
    private static final Set<String> CHECK = Set.of("query", "queries", "expect");
    /** What the check may count of one session: SESSION.committed, ... */
    private static final Set<String> SESSION_COUNTS = Set.of("committed", "aborted", "rolled_back", "unknown");

    private final String source;

    private SpecParser(String source) {
        this.source = source;
    }

    public static ProbeSpec parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("no spec file " + file);
        } catch (IOException e) {
            throw new UsageException("cannot read spec " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** {@code source} names the text in errors: a file name, or a catalogue entry. */
    public static ProbeSpec parse(String source, String text) {
        return new SpecParser(source).read(new StringReader(text));
    }

    private ProbeSpec read(Reader reader) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw error(at, "not valid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getMessage()).replace('\n', ' '));
        } catch (YAMLException e) {
            throw new UsageException(source + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (root == null) throw new UsageException(source + ": the spec is empty");
        Map<String, Node> top = mapping(root, "the spec", TOP);
        String name = top.containsKey("name") ? scalar(top.get("name"), "name") : source;
        Node sessionsNode = top.get("sessions");
        if (sessionsNode == null) throw error(root.getStartMark(), "the spec has no sessions:");
        List<ProbeSpec.Session> sessions = sessions(sessionsNode);
        List<List<ProbeSpec.Step>> permutations = top.containsKey("permutations")
                ? permutations(top.get("permutations"), sessions) : List.of();
        Node checkNode = top.get("check");
        if (checkNode == null) throw error(root.getStartMark(), "the spec has no check:");
        ProbeSpec.Check check = check(checkNode, sessions);
        return new ProbeSpec(name, source, statements(top.get("setup"), "setup"), statements(top.get("teardown"), "teardown"),
                sessions, permutations, check, top.containsKey("violation") ? scalar(top.get("violation"), "violation") : null);
    }

    private List<ProbeSpec.Session> sessions(Node node) {
        Map<String, Node> byName = mapping(node, "sessions", null);
        if (byName.size() < 2) throw error(node.getStartMark(), "sessions: needs two or more sessions, found " + byName.size());
        List<ProbeSpec.Session> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : byName.entrySet()) {
            String session = e.getKey();
            checkName(session, e.getValue(), "session");
            Map<String, Node> fields = mapping(e.getValue(), "session " + session, SESSION);
            IsolationLevel level = null;
            if (fields.containsKey("isolation")) {
                Node levelNode = fields.get("isolation");
                level = IsolationLevel.parse(scalar(levelNode, "isolation"));
                if (level == null) {
                    throw error(levelNode.getStartMark(), "session " + session + ": unknown isolation '" + scalar(levelNode, "isolation")
                            + "'; choose read uncommitted, read committed, repeatable read or serializable");
                }
            }
            Node stepsNode = fields.get("steps");
            if (stepsNode == null) throw error(e.getValue().getStartMark(), "session " + session + " has no steps:");
            Map<String, Node> steps = mapping(stepsNode, "steps of " + session, null);
            if (steps.isEmpty()) throw error(stepsNode.getStartMark(), "session " + session + " has no steps");
            List<ProbeSpec.Step> list = new ArrayList<>();
            for (Map.Entry<String, Node> s : steps.entrySet()) {
                checkName(s.getKey(), s.getValue(), "step");
                List<String> statements = statements(s.getValue(), session + "." + s.getKey());
                if (statements.isEmpty()) throw error(s.getValue().getStartMark(), "step " + session + "." + s.getKey() + " has no statement");
                list.add(new ProbeSpec.Step(session, s.getKey(), statements));
            }
            out.add(new ProbeSpec.Session(session, level, list));
        }
        return out;
    }

    private List<List<ProbeSpec.Step>> permutations(Node node, List<ProbeSpec.Session> sessions) {
        if (!(node instanceof SequenceNode seq)) throw error(node.getStartMark(), "permutations: must be a list");
        List<List<ProbeSpec.Step>> out = new ArrayList<>();
        int number = 0;
        for (Node p : seq.getValue()) {
            number++;
            List<ScalarNode> tokens = new ArrayList<>();
            if (p instanceof SequenceNode list) {
                for (Node t : list.getValue()) tokens.add(scalarNode(t, "permutation " + number));
            } else {
                ScalarNode line = scalarNode(p, "permutation " + number);
                for (String word : line.getValue().trim().split("\\s+")) {
                    if (!word.isEmpty()) tokens.add(new ScalarNode(line.getTag(), word, line.getStartMark(), line.getEndMark(), line.getScalarStyle()));
                }
            }
            if (tokens.isEmpty()) throw error(p.getStartMark(), "permutation " + number + " is empty");
            List<ProbeSpec.Step> steps = new ArrayList<>();
            for (ScalarNode t : tokens) steps.add(resolve(t, sessions, number));
            out.add(steps);
        }
        return out;
    }

    /** {@code s1.read}, or a bare step name that only one session has. */
    private ProbeSpec.Step resolve(ScalarNode token, List<ProbeSpec.Session> sessions, int number) {
        String word = token.getValue().trim();
        String where = "permutation " + number + ": ";
        int dot = word.indexOf('.');
        if (dot < 0) {
            List<ProbeSpec.Step> named = sessions.stream().flatMap(s -> s.steps().stream()).filter(s -> s.name().equals(word)).toList();
            if (named.size() == 1) return named.get(0);
            if (named.isEmpty()) throw error(token.getStartMark(), where + "unknown step '" + word + "'; write it as SESSION.STEP, e.g. "
                    + sessions.get(0).steps().get(0).id());
            throw error(token.getStartMark(), where + "step '" + word + "' is in more than one session; write it as SESSION.STEP");
        }
        String sessionName = word.substring(0, dot);
        String stepName = word.substring(dot + 1);
        ProbeSpec.Session session = sessions.stream().filter(s -> s.name().equals(sessionName)).findFirst()
                .orElseThrow(() -> error(token.getStartMark(), where + "unknown session '" + sessionName + "' in " + word
                        + "; the sessions are " + String.join(", ", sessions.stream().map(ProbeSpec.Session::name).toList())));
        return session.steps().stream().filter(s -> s.name().equals(stepName)).findFirst()
                .orElseThrow(() -> error(token.getStartMark(), where + "session " + sessionName + " has no step '" + stepName
                        + "'; its steps are " + String.join(", ", session.steps().stream().map(ProbeSpec.Step::name).toList())));
    }

    private ProbeSpec.Check check(Node node, List<ProbeSpec.Session> sessions) {
        Map<String, Node> fields = mapping(node, "check", CHECK);
        Map<String, String> queries = new LinkedHashMap<>();
        if (fields.containsKey("query") && fields.containsKey("queries")) {
            throw error(node.getStartMark(), "check: give query: or queries:, not both");
        }
        if (fields.containsKey("query")) queries.put("value", scalar(fields.get("query"), "check.query"));
        if (fields.containsKey("queries")) {
            Node q = fields.get("queries");
            if (q instanceof SequenceNode list) {
                int i = 0;
                for (Node one : list.getValue()) queries.put("q" + (++i), scalar(one, "check.queries"));
            } else {
                for (Map.Entry<String, Node> e : mapping(q, "check.queries", null).entrySet()) {
                    queries.put(e.getKey().toLowerCase(java.util.Locale.ROOT), scalar(e.getValue(), "check.queries." + e.getKey()));
                }
            }
        }
        Node expectNode = fields.get("expect");
        if (expectNode == null) throw error(node.getStartMark(), "check: has no expect: (a value, or an expression such as balance = 1020)");
        String expect = scalar(expectNode, "check.expect");
        CheckExpression parsed;
        try {
            parsed = CheckExpression.parse(expect);
        } catch (CheckExpression.SyntaxError e) {
            Mark m = expectNode.getStartMark();
            throw new UsageException(source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": check.expect: " + e.getMessage());
        }
        if (!parsed.isComparison() && queries.size() != 1) {
            throw error(expectNode.getStartMark(), "check.expect is a value, so the check needs exactly one query; with several,"
                    + " write an expression such as total = 3000");
        }
        if (queries.isEmpty() && parsed.references().stream().noneMatch(r -> r.contains("."))) {
            throw error(node.getStartMark(), "check: has no query and refers to no step's read");
        }
        for (String ref : parsed.references()) checkReference(ref, sessions, expectNode);
        return new ProbeSpec.Check(queries, expect);
    }

    /** {@code s1.read.balance} must name a session and one of its steps. */
    private void checkReference(String ref, List<ProbeSpec.Session> sessions, Node at) {
        String[] parts = ref.split("\\.");
        if (parts.length < 2) return;
        ProbeSpec.Session session = sessions.stream().filter(s -> s.name().equals(parts[0])).findFirst().orElse(null);
        if (session == null) throw error(at.getStartMark(), "check.expect: " + ref + " names no session");
        if (parts.length == 2 && SESSION_COUNTS.contains(parts[1])) return;
        if (parts.length != 3 || session.steps().stream().noneMatch(s -> s.name().equals(parts[1]))) {
            throw error(at.getStartMark(), "check.expect: " + ref + " is not SESSION.STEP.COLUMN of a step of " + parts[0]
                    + " (or SESSION.committed, SESSION.aborted, SESSION.rolled_back, SESSION.unknown)");
        }
    }

    private List<String> statements(Node node, String what) {
        if (node == null) return List.of();
        List<String> out = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) out.addAll(SqlText.split(scalar(n, what)));
        } else {
            out.addAll(SqlText.split(scalar(node, what)));
        }
        return out;
    }

    private void checkName(String name, Node at, String what) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw error(at.getStartMark(), what + " name '" + name + "' must be letters, digits and _ (it is used as SESSION.STEP)");
        }
    }

    /** The mapping's entries in file order; {@code allowed} null accepts any key. */
    private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode map)) throw error(node.getStartMark(), what + " must be a mapping (key: value)");
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode(), what + " key");
            if (allowed != null && !allowed.contains(key)) {
                throw error(t.getKeyNode().getStartMark(), what + ": unknown key '" + key + "'; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
            if (out.put(key, t.getValueNode()) != null) throw error(t.getKeyNode().getStartMark(), what + ": '" + key + "' given twice");
        }
        return out;
    }

    private String scalar(Node node, String what) {
        return scalarNode(node, what).getValue();
    }

    private ScalarNode scalarNode(Node node, String what) {
        if (node instanceof ScalarNode s) return s;
        throw error(node.getStartMark(), what + " must be a single value, not a " + (node instanceof MappingNode ? "mapping" : "list"));
    }

    private UsageException error(Mark at, String message) {
        if (at == null) return new UsageException(source + ": " + message);
        return new UsageException(source + ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1) + ": " + message);
    }
}

package dev.racelab.internal.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.racelab.core.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a report is made of, read from the files and directories given: run results (one
 * object, or an array as {@code demo --json} writes), isolation matrices ({@code isolation
 * --json}), and a bench directory's sweep. A directory is read whole, its JSON files in name
 * order; a file given by name that is none of these is an error, one met in a directory is
 * passed over with a note.
 */
public record ReportInputs(List<Run> runs, List<Matrix> matrices, List<String> notes) {
    private static final ObjectMapper READER = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One run's result and the file it came from ({@code runs/x.json}, or {@code demo.json#2} for an array's second). */
    public record Run(String source, RunResult result) {
    }

    /** An isolation matrix: levels down, anomalies across, each cell's verdict as the matrix prints it. */
    public record Matrix(String source, String server, List<String> levels, List<String> anomalies, Map<String, String> cells,
                         Map<String, String> verdicts) {
        public String text(String anomaly, String level) {
            return cells.getOrDefault(anomaly + "@" + level, "");
        }

        public String verdict(String anomaly, String level) {
            return verdicts.getOrDefault(anomaly + "@" + level, "");
        }
    }

    public static ReportInputs read(List<Path> paths) {
        List<Run> runs = new ArrayList<>();
        List<Matrix> matrices = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(path)) {
                    files = walk.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
                } catch (IOException e) {
                    throw new UsageException("cannot read " + path + ": " + e.getMessage(), e);
                }
                for (Path file : files) {
                    String label = path.relativize(file).toString();
                    if (!readFile(file, label, runs, matrices) && !isSweep(file)) notes.add(label + " is not a racelab result; passed over");
                }
            } else if (Files.isRegularFile(path)) {
                if (!readFile(path, path.getFileName().toString(), runs, matrices)) {
                    throw new UsageException(path + " is neither a run's result (run, demo or bench --json) nor an isolation matrix (isolation --json)");
                }
            } else {
                throw new UsageException("no file or directory " + path);
            }
        }
        if (runs.isEmpty() && matrices.isEmpty()) throw new UsageException("no run results or isolation matrices in " + paths);
        return new ReportInputs(List.copyOf(runs), List.copyOf(matrices), List.copyOf(notes));
    }

    /** False when the file holds nothing a report shows (bench.json, the sweep's flags, is one: its runs are beside it). */
    private static boolean readFile(Path file, String label, List<Run> runs, List<Matrix> matrices) {
        JsonNode node;
        try {
            node = READER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (node == null) return false;
        if (node.isArray()) {
            boolean any = false;
            for (int i = 0; i < node.size(); i++) {
                if (isRun(node.get(i))) {
                    runs.add(new Run(label + "#" + (i + 1), toRun(node.get(i), file)));
                    any = true;
                }
            }
            return any;
        }
        if (isRun(node)) {
            runs.add(new Run(label, toRun(node, file)));
            return true;
        }
        if (node.has("levels") && node.has("anomalies") && node.has("cells")) {
            matrices.add(toMatrix(node, label));
            return true;
        }
        return false;
    }

    /** A bench directory's bench.json: the sweep's flags, its runs beside it. */
    private static boolean isSweep(Path file) {
        try {
            JsonNode n = READER.readTree(file.toFile());
            return n != null && n.has("strategies") && n.has("repeat") && n.has("threads");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isRun(JsonNode n) {
        return n != null && n.isObject() && n.has("verdict") && n.has("strategy") && n.has("invoked");
    }

    private static RunResult toRun(JsonNode n, Path file) {
        try {
            return READER.treeToValue(n, RunResult.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot read the run in " + file + ": " + e.getMessage(), e);
        }
    }

    private static Matrix toMatrix(JsonNode n, String label) {
        List<String> levels = new ArrayList<>();
        n.get("levels").forEach(l -> levels.add(l.asText()));
        List<String> anomalies = new ArrayList<>();
        n.get("anomalies").forEach(a -> anomalies.add(a.asText()));
        Map<String, String> cells = new LinkedHashMap<>();
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = n.get("cells").elements(); it.hasNext(); ) {
            JsonNode c = it.next();
            String key = c.path("anomaly").asText() + "@" + c.path("level").asText();
            String verdict = c.path("verdict").asText();
            verdicts.put(key, verdict);
            cells.put(key, switch (verdict) {
                case "OCCURS" -> "occurs";
                case "PREVENTED_BY_ABORT" -> "abort " + c.path("sqlState").asText("");
                case "PREVENTED_BY_BLOCKING" -> "blocks";
                case "PREVENTED" -> "prevented";
                default -> verdict.toLowerCase(java.util.Locale.ROOT);
            });
        }
        return new Matrix(label, n.path("server").asText(""), levels, anomalies, cells, verdicts);
    }
}

package dev.racelab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.testing.Repo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What a user reads names things by what they are: the help of every command, racelab list,
 * the README and the examples never speak of the project's own source documents by number
 * ("seed 003", "solution-02"). docs/ORIGINS.md is the one place that does.
 */
class WordsUsersMeetTest {
    /** "seed 003", "seed-001", "seeds 001 and 002", "solution-02", "solutions 05/06". */
    static final Pattern PROJECT_WORDS = Pattern.compile("(?i)\\bseeds? ?-?0\\d\\d|\\bsolutions? ?-?0\\d");

    @Test
    void theHelpOfEveryCommandAndTheListSpeakPlainly() {
        List<String> found = new ArrayList<>();
        for (List<String> command : commands(new CommandLine(new Main()), new ArrayList<>())) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            found.addAll(projectWords(String.join(" ", args), run(args)));
        }
        found.addAll(projectWords("racelab list", run(List.of("list"))));
        assertThat(found).isEmpty();
    }

    @Test
    void theReadmeAndTheExamplesSpeakPlainly() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(Repo.path("README.md"), Repo.path("CONTRIBUTING.md")));
        for (String guide : List.of("RUNNING", "STRATEGIES", "SCENARIOS", "FAULTS", "LAB", "HTTP", "PROBES", "ISOLATION", "LIBRARY",
                "SPRING", "SPRING-PATTERNS", "SSH", "REPORTS", "ARCHITECTURE", "TESTING", "LIMITS")) {
            files.add(Repo.path("docs/" + guide + ".md")); // the README's guides, which hold what it held
        }
        try (Stream<Path> examples = Files.walk(Repo.path("examples"))) {
            examples.filter(p -> p.toString().matches(".*\\.(md|yaml|yml)$")).filter(p -> !p.toString().contains("/target/"))
                    .forEach(files::add);
        }
        for (Path file : files) found.addAll(projectWords(file.toString(), Files.readString(file)));
        assertThat(found).isEmpty();
        assertThat(Files.readString(Repo.path("docs/ORIGINS.md"))).as("the one page that maps them").containsPattern(PROJECT_WORDS);
    }

    @Test
    void theCheckFindsTheWordsItLooksFor() {
        assertThat(projectWords("x", "reads the value (seed 000, solution-01); seeds 001 and 002; --preset seed-004; solutions 05/06"))
                .hasSize(5);
        assertThat(projectWords("x", "@RaceTest(seed = 12); a sample seed; seeded 3 times")).isEmpty();
    }

    private static List<List<String>> commands(CommandLine cli, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        all.add(List.copyOf(path));
        cli.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandName().equals(name) || name.equals("help")) return; // aliases and help name a command again
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            all.addAll(commands(sub, deeper));
        });
        return all;
    }

    private static String run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("racelab %s: %s", args, err).isZero();
        return out + "\n" + err;
    }

    private static List<String> projectWords(String where, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = PROJECT_WORDS.matcher(text);
        while (m.find()) {
            int from = Math.max(0, m.start() - 40);
            found.add(where + ": ..." + text.substring(from, Math.min(text.length(), m.end() + 40)).replace('\n', ' ') + "...");
        }
        return found;
    }
}

package dev.racelab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each guide has one title (a single {@code # } heading, its first line); its parts are {@code ## } and below. */
class GuidesHaveOneTitleTest {
    @Test
    void eachGuideHasOneTitleOnItsFirstLine() throws IOException {
        List<Path> guides = new ArrayList<>(List.of(Repo.path("README.md"), Repo.path("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(Repo.path("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(guides::add);
        }
        List<String> wrong = new ArrayList<>();
        for (Path guide : guides) {
            List<String> titles = titles(Files.readAllLines(guide));
            if (titles.size() != 1 || !titles.get(0).startsWith("1:")) {
                wrong.add(Repo.path("").relativize(guide) + " " + titles);
            }
        }
        assertThat(guides).hasSizeGreaterThan(10);
        assertThat(wrong).as("guides without exactly one '# ' title, on line 1 (line: heading)").isEmpty();
    }

    /** The {@code # } headings outside fenced blocks (a shell comment in a block is not one), as "LINE: TEXT". */
    private static List<String> titles(List<String> lines) {
        List<String> out = new ArrayList<>();
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
                fence = trimmed.substring(0, 3);
            } else if (fence != null && trimmed.startsWith(fence)) {
                fence = null;
            } else if (fence == null && line.startsWith("# ")) {
                out.add((i + 1) + ": " + line);
            }
        }
        return out;
    }
}

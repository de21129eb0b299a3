package dev.racelab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md, CONTRIBUTING.md and docs/*.md compiles against this
 * module's test class path (racelab-core, racelab-junit, JUnit and the stores' clients), as
 * Jdbi's docs do. The rules a doc writer follows are in CONTRIBUTING.md ("Java in the docs"):
 * <ul>
 *   <li>a block with a {@code package} line is compiled as the file it is;</li>
 *   <li>any other block is a snippet: its leading {@code import} lines stay imports, and the rest
 *       goes inside a class that extends {@link DocSnippets} (whose fields are the names the guides
 *       take as given), as statements in a method or, when that does not compile, as members;
 *       the imports below come with it;</li>
 *   <li>{@code <!-- java: copied from PATH -->} on the line before a block: the block is not
 *       compiled here but must appear, line by line, in that file (one a test compiles and runs);</li>
 *   <li>{@code <!-- java: not compiled, REASON -->}: a deliberate fragment, with its reason.</li>
 * </ul>
 */
class DocsJavaCompilesTest {
    /** What every snippet imports: racelab's public packages and the JDK's everyday ones. */
    static final String IMPORTS = String.join(" ",
            "import dev.racelab.core.*;", "import dev.racelab.retry.*;", "import dev.racelab.library.*;",
            "import dev.racelab.junit.*;", "import dev.racelab.cli.*;", "import java.io.*;", "import java.time.*;", "import java.util.*;", "import java.util.concurrent.*;",
            "import java.sql.*;", "import javax.sql.DataSource;", "import static org.assertj.core.api.Assertions.*;");

    private static final Pattern FENCE = Pattern.compile("^\\s*(```+|~~~+)\\s*([^\\s`]*).*$");
    private static final Pattern MARK = Pattern.compile("^\\s*<!--\\s*java:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern COPIED = Pattern.compile("copied from (\\S+)");
    private static final Pattern NOT_COMPILED = Pattern.compile("not compiled, (\\S.*)");

    /** One ```java block: where it is, the marker before it (or null) and its lines. */
    record Block(Path file, int line, String mark, List<String> lines) {
        String where() {
            return Repo.path("").relativize(file) + ":" + line;
        }
    }

    /** One compiler and file manager for every block: the class path's jars are opened once. */
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();
    private static final StandardJavaFileManager FILES = JAVAC.getStandardFileManager(null, Locale.ROOT, null);

    @TempDir
    Path classes;

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesOrIsCopiedFromAFileATestRuns() {
        return blocks().stream().map(b -> DynamicTest.dynamicTest(b.where(), () -> check(b)));
    }

    @Test
    void theGuidesHaveJavaToCheckAndFewFragments() {
        List<Block> blocks = blocks();
        assertThat(blocks).as("```java blocks in the docs").hasSizeGreaterThan(10);
        assertThat(blocks).filteredOn(b -> b.mark() != null && b.mark().startsWith("not compiled"))
                .as("deliberate fragments: keep them few").hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void aBlockThatDoesNotCompileIsNamedByFileAndLine() {
        Block broken = new Block(Repo.path("docs/EXAMPLE.md"), 7, null, List.of("int x = 1;", "String s = x;"));
        assertThat(problems(broken)).startsWith("docs/EXAMPLE.md:8: ").contains("incompatible types");
    }

    @Test
    void anErrorBelowTheBlocksOwnImportsIsNamedByItsLineToo() {
        Block broken = new Block(Repo.path("docs/EXAMPLE.md"), 3, null,
                List.of("import java.net.URI;", "", "URI uri = URI.create(\"http://127.0.0.1\");", "int port = uri;"));
        assertThat(problems(broken)).startsWith("docs/EXAMPLE.md:6: ").contains("incompatible types");
    }

    @Test
    void aCopyMustHaveTheFilesCodeLineForLineCommentsAside() {
        List<String> file = List.of("    /** Adds. */", "    public void add(long amount) {", "        total += amount;", "    }");
        assertThat(appearsIn(List.of("public void add(long amount) {", "    total += amount; // the race", "}"), file)).isTrue();
        assertThat(appearsIn(List.of("public void add(long amount) {", "    total = total + amount;", "}"), file)).isFalse();
        assertThat(appearsIn(List.of("// nothing but a comment"), file)).isFalse();
    }

    static List<Block> blocks() {
        List<Path> files = new ArrayList<>(List.of(Repo.path("README.md"), Repo.path("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(Repo.path("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> out = new ArrayList<>();
        for (Path file : files) out.addAll(blocksOf(file));
        return out;
    }

    static List<Block> blocksOf(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) continue;
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).trim().startsWith(open.group(1))) end++;
            if (open.group(2).toLowerCase(Locale.ROOT).equals("java")) {
                out.add(new Block(file, i + 2, markBefore(lines, i), List.copyOf(lines.subList(i + 1, Math.min(end, lines.size())))));
            }
            i = end;
        }
        return out;
    }

    private static String markBefore(List<String> lines, int fence) {
        int i = fence - 1;
        while (i >= 0 && lines.get(i).isBlank()) i--;
        if (i < 0) return null;
        Matcher m = MARK.matcher(lines.get(i));
        return m.matches() ? m.group(1) : null;
    }

    private void check(Block block) throws IOException {
        if (block.mark() == null) {
            String problems = problems(block);
            assertThat(problems).as("%s does not compile", block.where()).isEmpty();
            return;
        }
        Matcher copied = COPIED.matcher(block.mark());
        Matcher fragment = NOT_COMPILED.matcher(block.mark());
        if (copied.matches()) {
            Path source = Repo.path(copied.group(1));
            assertThat(source).as("%s names the file it is copied from", block.where()).isRegularFile();
            assertThat(appearsIn(block.lines(), Files.readAllLines(source)))
                    .as("%s is copied from %s: its lines, in order, as the file has them", block.where(), copied.group(1)).isTrue();
        } else {
            assertThat(fragment.matches()).as("%s: a marker is '<!-- java: copied from PATH -->' or"
                    + " '<!-- java: not compiled, REASON -->', not '%s'", block.where(), block.mark()).isTrue();
        }
    }

    /**
     * Whether the block's lines of code occur in {@code file} one after another. Indentation, blank lines and
     * comments aside: a guide may leave out a javadoc or add a comment at the end of a line.
     */
    static boolean appearsIn(List<String> block, List<String> file) {
        List<String> wanted = code(block);
        return !wanted.isEmpty() && Collections.indexOfSubList(code(file), wanted) >= 0;
    }

    private static final Pattern LINE_COMMENT = Pattern.compile("\\s//");

    private static List<String> code(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            Matcher comment = LINE_COMMENT.matcher(line);
            if (comment.find() && line.substring(0, comment.start()).chars().filter(c -> c == '"').count() % 2 == 0) {
                line = line.substring(0, comment.start());
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("//") || line.startsWith("/*") || line.startsWith("*")) continue;
            out.add(line);
        }
        return out;
    }

    /** "" when the block compiles; else its errors, one FILE:LINE: message a line. */
    String problems(Block block) {
        if (block.lines().stream().anyMatch(l -> l.strip().startsWith("package "))) {
            return compile(block, new Wrapped(block.lines(), -1));
        }
        String asStatements = compile(block, wrap(block, "    void snippet() throws Exception {", "    }"));
        if (asStatements.isEmpty()) return "";
        String asMembers = compile(block, wrap(block, "", ""));
        if (asMembers.isEmpty()) return "";
        return rank(asStatements) <= rank(asMembers) ? asStatements : asMembers;
    }

    /** The likelier reading of a snippet that fails both ways: the one the parser took, then the one with fewer errors. */
    private static long rank(String problems) {
        long syntax = problems.lines().filter(l -> l.contains(SYNTAX)).count();
        return syntax * 1000 + problems.lines().filter(l -> l.matches("^\\S+:\\d+: .*")).count();
    }

    /** A snippet's source: the imports on line 1, the block's own import lines, then the rest inside a class. */
    record Wrapped(List<String> source, int imports) {
        /** A whole file, compiled as it is. */
        boolean whole() {
            return imports < 0;
        }
    }

    private static Wrapped wrap(Block block, String opener, String closer) {
        int imports = 0;
        while (imports < block.lines().size()
                && (block.lines().get(imports).isBlank() || block.lines().get(imports).strip().startsWith("import "))) {
            imports++;
        }
        List<String> source = new ArrayList<>();
        source.add(IMPORTS);
        source.addAll(block.lines().subList(0, imports));
        source.add("public class Snippet extends dev.racelab.docs.DocSnippets {" + opener);
        source.addAll(block.lines().subList(imports, block.lines().size()));
        source.add(closer + "}");
        return new Wrapped(source, imports);
    }

    private String compile(Block block, Wrapped wrapped) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String text = String.join("\n", wrapped.source()) + "\n";
        String name = wrapped.whole() ? typeName(block) : "Snippet";
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
                "-proc:none", "-implicit:none", "-Xlint:none", "-nowarn");
        boolean ok = JAVAC.getTask(null, FILES, diagnostics, options, null, List.of(source)).call();
        if (ok) return "";
        StringBuilder out = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            out.append(Repo.path("").relativize(block.file())).append(':').append(docLine(block, wrapped, d.getLineNumber()))
                    .append(": ").append(d.getMessage(Locale.ROOT)).append(isSyntax(d.getCode()) ? SYNTAX : "").append('\n');
        }
        return out.toString();
    }

    /** Marks a parse error, which says the snippet was wrapped the wrong way (statements, members). */
    private static final String SYNTAX = " (syntax)";

    private static boolean isSyntax(String code) {
        return code.contains("expected") || code.contains("illegal.start") || code.contains("premature.eof")
                || code.contains("invalid.meth.decl") || code.contains("not.stmt") || code.contains("statement.not.expected");
    }

    /** The doc's line of a line of the compiled source (1: the imports; then the block's imports; the class line; the rest). */
    private static long docLine(Block block, Wrapped wrapped, long sourceLine) {
        if (wrapped.whole()) return block.line() + sourceLine - 1;
        long index = sourceLine <= wrapped.imports() + 1 ? sourceLine - 2 : sourceLine - 3;
        return block.line() + Math.max(0, Math.min(index, block.lines().size() - 1));
    }

    private static String typeName(Block block) {
        Matcher m = Pattern.compile("public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)")
                .matcher(String.join("\n", block.lines()));
        return m.find() ? m.group(1) : "Doc";
    }
}

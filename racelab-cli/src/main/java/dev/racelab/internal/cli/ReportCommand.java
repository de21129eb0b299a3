package dev.racelab.internal.cli;

import dev.racelab.internal.report.HtmlReport;
import dev.racelab.internal.report.ReportInputs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Makes one self-contained HTML report of bench, run, demo and isolation results: the verdict table,"
                + " throughput, latency and retries against threads, the crossover points, lost updates per run, fault"
                + " timelines and isolation matrices. It loads nothing when opened (a Content-Security-Policy forbids any request).",
                "Exit code: 0 written, 2 bad input."},
        footer = {"", "Examples:",
                "  racelab report sweep -o sweep.html                 # a bench directory",
                "  racelab report demo.json pg-matrix.json -o all.html  # run/demo --json files and isolation --json matrices"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "bench directories, and JSON files of run, demo, bench or isolation")
    List<Path> inputs;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "the HTML file to write")
    Path out;

    @Option(names = "--title", paramLabel = "TEXT", description = "the report's title (default: racelab report of the inputs' names)")
    String title;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        OutputFiles.checkWritable("-o", out);
        ReportInputs read = ReportInputs.read(inputs);
        String name = title != null ? title : "racelab report: " + String.join(", ", inputs.stream().map(Path::toString).toList());
        String html = HtmlReport.render(read, name);
        OutputFiles.write("-o", out, html);
        stdout.printf("Wrote %s: %d run(s), %d isolation matrix(es), %,d bytes%n", out, read.runs().size(), read.matrices().size(),
                html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        stdout.flush();
        return ExitCode.PASS;
    }
}

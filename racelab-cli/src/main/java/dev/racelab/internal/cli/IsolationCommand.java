package dev.racelab.internal.cli;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import dev.racelab.internal.isolation.Anomaly;
import dev.racelab.internal.isolation.IsolationMatrix;
import dev.racelab.internal.probe.sql.SqlProbe;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.settings.Provisioned;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "isolation", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Measures which isolation anomalies the database in front of it allows at each of its levels:"
                + " G0, G1a, G1b, G1c, OTV, PMP, P4, G-single, G2-item and G2, each a probe sql spec racelab ships"
                + " (after Hermitage's test cases), run on the server now.",
                "Each cell: occurs, prevented by abort (with the SQLSTATE), prevented by blocking, or prevented. Where an"
                        + " anomaly occurs, the schedule that showed it is printed. Exit code: 0 measured, 2 bad input."},
        footer = {"", "Examples:",
                "  racelab isolation --store postgres",
                "  racelab isolation --store mysql --json mariadb-matrix.json",
                "  racelab isolation --store mysql --anomaly P4,G2-item --show P4"})
final class IsolationCommand implements Callable<Integer>, OpensStores {
    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "NAME", description = "postgres, mysql or embedded (default: ${DEFAULT-VALUE})")
    String store = "embedded";

    @Option(names = "--anomaly", paramLabel = "CODE[,CODE]", split = ",", description = "only these (default: all)")
    List<String> only = new ArrayList<>();

    @Option(names = "--show", paramLabel = "CODE", description = "print that anomaly's spec (YAML, usable with probe sql) and exit")
    String show;

    @Mixin
    JsonFileOption json = new JsonFileOption();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (show != null) {
            out.print(dev.racelab.internal.isolation.Catalogue.text(byCode(show)));
            out.flush();
            return ExitCode.PASS;
        }
        List<Anomaly> anomalies = only.isEmpty() ? Anomaly.all() : only.stream().map(IsolationCommand::byCode).toList();
        json.checkWritable();
        IsolationMatrix matrix;
        try (Provisioned server = StoreRegistry.current().provision(store, StoreFlags.settings(spec));
             SqlProbe probe = SqlProbe.open(store, server.address().url(), null, SqlProbe.DEFAULT_STEP_TIMEOUT, Clock.SYSTEM)) {
            matrix = IsolationMatrix.measure(probe, anomalies, spec.commandLine().getErr());
        }
        json.write(matrix);
        out.print(matrix.render());
        out.flush();
        return ExitCode.PASS;
    }

    private static Anomaly byCode(String code) {
        return Anomaly.all().stream().filter(a -> a.code().equalsIgnoreCase(code.trim())).findFirst()
                .orElseThrow(() -> new UsageException("unknown anomaly '" + code + "'; choose from "
                        + String.join(", ", Anomaly.all().stream().map(Anomaly::code).toList())));
    }
}

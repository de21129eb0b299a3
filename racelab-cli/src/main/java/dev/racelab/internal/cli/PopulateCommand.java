package dev.racelab.internal.cli;

import dev.racelab.core.Cell;
import dev.racelab.internal.scenario.Product;
import dev.racelab.store.Layout;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.store.CellStore;
import dev.racelab.internal.settings.Provisioned;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "populate", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Creates racelab's tables in a store and fills them with the sample product catalog"
                + ". Existing catalog rows are reset to their catalog stock.",
                "Runs never touch these rows: each run makes its own, under a fresh prefix."})
final class PopulateCommand implements Callable<Integer>, OpensStores {
    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "NAME", description = "${sys:racelab.stores} (default: ${DEFAULT-VALUE})")
    String store = "dynamodb";


    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Cell> catalog = Product.CATALOG.stream().map(p -> new Cell(Product.stockKey("", p.id()), p.stock(), 0)).toList();
        StoreRegistry registry = StoreRegistry.current();
        try (Provisioned provisioned = registry.provision(store, StoreFlags.settings(spec));
             CellStore s = registry.open(provisioned.address(), Layout.KEYED, 1).as(CellStore.class)) {
            s.createCells(catalog);
            for (Product p : Product.CATALOG) {
                out.printf("  %-4s %-22s %,12d in stock (version %d)%n", p.id(), p.name(),
                        s.read(Product.stockKey("", p.id())).value(), s.read(Product.stockKey("", p.id())).version());
            }
            out.printf("populated %d products in %s%s%n", catalog.size(), store,
                    provisioned.server() != null ? " (an in-process server: the rows go away when this command exits;"
                            + " give --dynamodb-url to keep them)" : "");
        }
        out.flush();
        return ExitCode.PASS;
    }
}

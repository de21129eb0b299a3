package dev.racelab.internal.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One kind of replicated store a lab can run: which programs it needs, how its servers start, when it is ready, its URLs. */
interface LabStoreKind {
    /** Starts servers in the lab's nodes, recording each, and waits for them. */
    interface Starter {
        /** Starts one server in a node's namespace and records it in the lab's state before returning it. */
        LabServer start(String role, LabNode node, Path executable, List<String> args, Path dataDir, int port);

        /** Waits, within the lab's bound for getting ready, until {@code notYet} answers empty; fails if a started server stops. */
        void await(java.util.function.Supplier<Optional<String>> notYet);
    }

    String name();

    String description();

    /** The programs its servers run, beside what every lab needs. */
    List<Preflight.Needed> needs();

    int minNodes();

    /** The options with their defaults filled in; an unknown key or bad value is a UsageException naming it. */
    Map<String, String> options(Map<String, String> given);

    void start(LabState lab, Path dataRoot, Starter starter);

    /** Empty when every server answers as a whole cluster; otherwise what is still missing, in words. */
    Optional<String> notReady(LabState lab);

    /** What a client uses to reach the store, by store kind. */
    Map<String, String> urls(LabState lab);

    /** The store provider a run opens the lab's store with, and its settings. */
    LabRunStore runStore(LabState lab);
}

package dev.racelab.internal.cli;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import dev.racelab.internal.http.Api;
import dev.racelab.internal.http.RaceServer;
import dev.racelab.internal.http.RaceService;
import dev.racelab.internal.http.LiveApi;
import dev.racelab.internal.http.Route;
import dev.racelab.internal.run.LiveRaces;
import java.util.ArrayList;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.store.Capability;
import dev.racelab.store.LeaseStore;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.store.StoreRoles;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Serves the demo service (deposit, transfer and like routes) and a resource API over HTTP, on the same model and strategies as every run.",
                "JSON in and out. Errors are {\"error\": ...}: 400 bad input, 404 unknown id, 409 conflict or insufficient"
                        + " funds, 413 body over 16 KB, 422 refused by a rule, 503 the store failed.",
                "Writes take an Idempotency-Key header: a retried request gets the first answer and is applied once."},
        footer = {"", "Seed routes: POST /deposit-broken/{id} /deposit-atomic/{id} /deposit-optimistic/{id} /deposit-distributed/{id}",
                "  POST /transfer {fromId,toId,amount}, POST /like/{postId} and DELETE /unlike/{postId} {userId},",
                "  GET /balance/{id}; admin: POST /reset, POST /test-deadlock",
                "Resource API: GET /accounts/{id}, POST /accounts/{id}/deposits?strategy=NAME {amount},",
                "  POST /transfers?strategy=NAME, GET /posts/{id}, POST /posts/{id}/likes {userId},",
                "  DELETE /posts/{id}/likes/{userId}, POST /counters/{id}/increments?strategy=NAME,",
                "  POST /products/{id}/orders?strategy=NAME {quantity}; GET /metrics (Prometheus)",
                "Live page: http://ADDRESS:PORT/ picks a race (deposit, flash sale), a strategy and a concurrency and shows it",
                "  as it runs (GET /races, POST /races {scenario,strategy,concurrency,operations} (admin),",
                "  GET /races/{id}, GET /races/{id}/events as text/event-stream)",
                "", "Example: racelab serve --demo --store postgres, then racelab load --endpoint /deposit-broken/1",
                "         racelab serve --demo, then open http://127.0.0.1:3000/ to watch a race"})
final class ServeCommand implements Callable<Integer>, OpensStores {
    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "NAME", description = "${sys:racelab.stores} (default: ${DEFAULT-VALUE})")
    String store = "embedded";

    @Option(names = "--lease-store", paramLabel = "NAME", description = "the store that grants /deposit-distributed's leases"
            + " (default: the store itself when it grants leases, else ${DEFAULT-VALUE})")
    String leaseStore = "redis";

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port = 3000;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind = "127.0.0.1";

    @Option(names = "--demo", description = "open the admin routes (POST /reset, POST /test-deadlock) to anyone")
    boolean demo;

    @Option(names = "--admin-token", paramLabel = "TOKEN", description = "open the admin routes to requests with this X-Admin-Token"
            + " header (env RACELAB_ADMIN_TOKEN)")
    String adminToken;

    @Option(names = "--accounts", paramLabel = "N", description = "accounts 1..N exist (1-3 hold the demo's 1000, 2000, 3000; default: ${DEFAULT-VALUE})")
    int accounts = 10;

    @Option(names = "--pool", paramLabel = "N", description = "connections to the store; requests beyond them queue (default: ${DEFAULT-VALUE})")
    int pool = 32;

    @Option(names = "--live-races", paramLabel = "N", description = "live races that may run at once; a start beyond them gets 409"
            + " (1 to " + LiveRaces.MAX_AT_ONCE + ", default: ${DEFAULT-VALUE})")
    int liveRaces = 1;

    @Option(names = "--naive-barrier", paramLabel = "N", description = "in a live race, hold each read of the strategies that make no"
            + " promise (naive) until N clients have read (at most 2 s), so every round of N loses N-1 updates: a certain loss,"
            + " for demonstrations and tests (default: off)")
    Integer naiveBarrier;

    @Option(names = "--no-leases", description = "take no lease store for /deposit-distributed's lock (it answers 503)")
    boolean noLeases;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new UsageException("--port must be between 0 and 65535, was " + port);
        if (pool < 1 || pool > 1000) throw new UsageException("--pool must be between 1 and 1000, was " + pool);
        if (liveRaces < 1 || liveRaces > LiveRaces.MAX_AT_ONCE) {
            throw new UsageException("--live-races must be between 1 and " + LiveRaces.MAX_AT_ONCE + ", was " + liveRaces);
        }
        if (naiveBarrier != null && (naiveBarrier < 2 || naiveBarrier > dev.racelab.internal.run.LiveRaceSpec.MAX_CONCURRENCY)) {
            throw new UsageException("--naive-barrier must be between 2 and " + dev.racelab.internal.run.LiveRaceSpec.MAX_CONCURRENCY + " clients, was " + naiveBarrier);
        }
        if (accounts < 2 || accounts > 1_000_000) throw new UsageException("--accounts must be between 2 and 1000000, was " + accounts);
        String token = adminToken != null ? adminToken : System.getenv("RACELAB_ADMIN_TOKEN");
        boolean admin = demo || token != null;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoreSettings settings = StoreFlags.settings(spec);
        StoreRegistry registry = StoreRegistry.current();
        try (Provisioned provisioned = registry.provision(store, settings);
             Store cells = registry.open(provisioned.address(), Layout.KEYED, pool);
             Store leases = openLeases(registry, settings, cells, err)) {
            StoreRoles roles = new StoreRoles(cells, cells instanceof LeaseStore ? cells : leases, cells);
            RaceService service = new RaceService(roles, Clock.SYSTEM);
            service.createMissingData(accounts);
            LiveRaces races = new LiveRaces(roles, store,
                    cells instanceof LeaseStore || leases == null ? null : leaseStore, liveRaces,
                    naiveBarrier == null ? LiveRaces.NaiveGap.NONE : LiveRaces.NaiveGap.rendezvous(naiveBarrier, Clock.SYSTEM), Clock.SYSTEM);
            List<Route> routes = new ArrayList<>(Api.routes(service, admin));
            routes.addAll(LiveApi.routes(races, admin, !demo && token != null, naiveBarrier == null ? null
                    : "each naive read waits until " + naiveBarrier + " clients have read (--naive-barrier), so naive's loss is certain"));
            RaceServer server;
            try {
                server = RaceServer.start(bind, port, routes, demo ? null : token, races);
            } catch (RuntimeException e) { // Javalin's bind failure: the port is taken or the address is not ours
                throw new UsageException("cannot listen on " + bind + ":" + port + ": " + e.getMessage());
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            out.printf("racelab serve: listening on http://%s:%d (store %s; admin routes %s; leases %s)%n", bind, server.port(),
                    store, admin ? (demo ? "open (--demo)" : "behind X-Admin-Token") : "off",
                    cells instanceof LeaseStore ? store : leases == null ? "off" : leases.name());
            out.printf("racelab serve: the live page is http://%s:%d/ (%s)%n", bind, server.port(),
                    admin ? (demo ? "anyone may start a race" : "starting a race needs the admin token") : "races cannot be started:"
                            + " use --demo or --admin-token");
            out.flush();
            stopped.await();
        }
        return ExitCode.PASS;
    }

    /** The lease store of /deposit-distributed, when the cell store grants none itself and the lease store answers. */
    private Store openLeases(StoreRegistry registry, StoreSettings settings, Store cells, PrintWriter err) {
        if (noLeases || cells instanceof LeaseStore) return null; // the store leases itself
        if (!registry.provider("leaseStore", leaseStore).capabilities().contains(Capability.LEASE)) {
            throw InvalidFieldException.about("leaseStore", "{field} '" + leaseStore + "' grants no leases; choose one of: "
                    + String.join(", ", registry.namesWith(Capability.LEASE)));
        }
        try {
            return registry.open(registry.provision(leaseStore, settings).address(), Layout.KEYED, 16);
        } catch (UsageException e) {
            err.println("racelab serve: no lease store for /deposit-distributed (" + e.getMessage() + "); that route will answer 503");
            err.flush();
            return null;
        }
    }
}

package dev.racelab.internal.run;

import dev.racelab.core.Clock;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.store.Layout;
import dev.racelab.store.StoreRoles;
import dev.racelab.internal.strategy.ReadWriteGap;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The live races of one {@code racelab serve}: which strategies fit its store, and at most
 * {@code maxRunning} races at once, each bounded in operations ({@link LiveRaceSpec}) and in
 * time ({@link #MAX_DURATION}). Finished races are kept for a while ({@link #KEPT}) so a page
 * that comes late, or reconnects, still gets the verdict.
 */
public final class LiveRaces {
    public static final Duration TICK = Duration.ofMillis(200);
    public static final Duration MAX_DURATION = Duration.ofSeconds(60);
    public static final int KEPT = 20;
    public static final int MAX_AT_ONCE = 4;
    /** A rendezvous round that does not fill goes on after this long. */
    public static final Duration RENDEZVOUS_TIMEOUT = Duration.ofSeconds(2);

    /** What the strategies that make no promise (naive) do between their read and their write, for a race of {@code concurrency} clients. */
    @FunctionalInterface
    public interface NaiveGap {
        ReadWriteGap forRace(int concurrency);

        NaiveGap NONE = concurrency -> ReadWriteGap.NONE;

        /** Each read waits until {@code parties} clients (at most the race's) have read: every full round loses all but one update. */
        static NaiveGap rendezvous(int parties, Clock clock) {
            if (parties < 2) throw InvalidFieldException.must("naiveBarrier", "must be at least 2, was " + parties);
            return concurrency -> concurrency < 2 ? ReadWriteGap.NONE
                    : ReadWriteGap.rendezvous(Math.min(parties, concurrency), RENDEZVOUS_TIMEOUT, clock);
        }
    }

    /** What a start came to: the race, or a refusal because enough races are running (losing that race is a return value). */
    public sealed interface Start permits Started, Busy {
    }

    public record Started(LiveRace race) implements Start {
    }

    public record Busy(String message, List<String> running) implements Start {
    }

    /** A strategy as the page lists it for one race: null {@code problem} when it fits. */
    public record Choice(String name, boolean safe, String how, String problem) {
    }

    private final StoreRoles stores;
    private final String cellStore;
    private final String leaseStore;
    private final int maxRunning;
    private final NaiveGap naiveGap;
    private final Clock clock;
    private final Map<String, LiveRace> byId = new LinkedHashMap<>();
    private final Deque<LiveRace> finishedOrder = new ArrayDeque<>();

    /**
     * @param cellStore  the registered name of the store the server opened ({@code --store})
     * @param leaseStore the registered name of the store beside it that grants leases, or null
     *                   when the cell store grants its own or there is none
     */
    public LiveRaces(StoreRoles stores, String cellStore, String leaseStore, int maxRunning, NaiveGap naiveGap, Clock clock) {
        if (maxRunning < 1 || maxRunning > MAX_AT_ONCE) {
            throw InvalidFieldException.must("liveRaces", "must be between 1 and " + MAX_AT_ONCE + ", was " + maxRunning);
        }
        this.stores = stores;
        this.cellStore = cellStore;
        this.leaseStore = leaseStore;
        this.maxRunning = maxRunning;
        this.naiveGap = naiveGap;
        this.clock = clock;
    }

    public int maxRunning() {
        return maxRunning;
    }

    public String cellStore() {
        return cellStore;
    }

    /** Every registered strategy, with why it cannot run {@code race} on this server when it cannot. */
    public List<Choice> choices(LiveScenario race) {
        List<Choice> choices = new ArrayList<>();
        for (StrategyInfo info : Strategies.all()) {
            choices.add(new Choice(info.name(), info.safe(), info.how(), misfit(info, race).orElse(null)));
        }
        return choices;
    }

    /**
     * Starts a race, or answers {@link Busy} when {@code maxRunning} are running. Throws
     * {@link InvalidFieldException} on the {@code strategy} field when the strategy is unknown or
     * does not fit the race on this server's stores.
     */
    public synchronized Start start(LiveRaceSpec spec) {
        StrategyInfo info = Strategies.get(spec.strategy());
        misfit(info, spec.scenario()).ifPresent(problem -> {
            throw InvalidFieldException.about("strategy", "strategy '" + info.name() + "' cannot run the " + spec.scenario().id()
                    + " race on this server: " + problem);
        });
        List<String> running = byId.values().stream().filter(LiveRace::running).map(LiveRace::id).toList();
        if (running.size() >= maxRunning) {
            return new Busy((maxRunning == 1 ? "a race is already running (" + running.get(0) + ")"
                    : running.size() + " races are already running (" + String.join(", ", running) + ")")
                    + "; this server runs at most " + maxRunning + " at once. Watch it, or start yours when it ends.", running);
        }
        LiveRace race = new LiveRace(newId(), spec, runSpec(info, spec));
        byId.put(race.id(), race);
        ReadWriteGap gap = naiveGap.forRace(spec.concurrency());
        Thread.ofPlatform().name("racelab-live-" + race.id()).daemon().start(() -> {
            race.run(stores, gap, clock, TICK, MAX_DURATION);
            finished(race);
        });
        return new Started(race);
    }

    public synchronized Optional<LiveRace> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The races the server knows, newest first. */
    public synchronized List<LiveRace> recent() {
        List<LiveRace> all = new ArrayList<>(byId.values());
        java.util.Collections.reverse(all);
        return all;
    }

    private synchronized void finished(LiveRace race) {
        finishedOrder.addLast(race);
        while (finishedOrder.size() > KEPT) byId.remove(finishedOrder.removeFirst().id());
    }

    private RunSpec runSpec(StrategyInfo info, LiveRaceSpec spec) {
        try {
            return RunSpec.builder().scenario(spec.scenario().scenario()).store(cellStore).strategy(info.name())
                    .instances(1).threads(spec.concurrency()).iterations(spec.perClient())
                    .options(spec.scenario().options())
                    .leaseStore(info.needsLeases() ? leaseStore : null).build();
        } catch (InvalidFieldException e) {
            throw InvalidFieldException.about("strategy", "strategy '" + info.name() + "' cannot run the " + spec.scenario().id()
                    + " race on this server: " + e.render(field -> field));
        }
    }

    /** Why {@code info} cannot run {@code race} on this server's stores, if it cannot: the same {@link Fit} as every run, and what a server lacks. */
    private Optional<String> misfit(StrategyInfo info, LiveScenario race) {
        if (info.layout() != Layout.KEYED) {
            return Optional.of("it keeps its cells in a table with no primary key, and the server's store is opened keyed"
                    + " (racelab run --strategy " + info.name() + " runs it)");
        }
        if (info.needsLogStore()) {
            return Optional.of("it logs orders in a second store, and the server has one store (racelab run --strategy "
                    + info.name() + " --log-store postgres runs it)");
        }
        if (info.needsLeases() && stores.leases() == null) {
            return Optional.of("it takes leases, and the server has no lease store (start racelab serve with a reachable"
                    + " --redis-url, and without --no-leases)");
        }
        return Fit.of(info, race.model(), cellStore, info.needsLeases() ? leaseStore : null, null).problem()
                .map(e -> e.render(field -> field));
    }

    private static String newId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}

package dev.racelab.internal.registry;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.settings.Setting;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreProvider;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.faults.ServerControls;
import dev.racelab.internal.settings.Provisioning;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.WeakHashMap;

/**
 * The stores racelab knows: every {@link StoreProvider} that {@link ServiceLoader} finds, in
 * the order of the {@code META-INF/services} files. The only list of stores: {@code racelab
 * list}, every {@code --store} help and check, the demo and the tests read it. It looks
 * through the thread's context class loader, so a test can add a store of its own.
 */
public final class StoreRegistry {
    private static final Map<ClassLoader, StoreRegistry> LOADED = new WeakHashMap<>();

    private final List<StoreProvider> providers;
    /** Providers that could not load, each with why: racelab-core's store clients are optional. */
    private final List<String> unavailable;

    private StoreRegistry(List<StoreProvider> providers, List<String> unavailable) {
        this.providers = List.copyOf(providers);
        this.unavailable = List.copyOf(unavailable);
    }

    /** The registry as this thread's class loader sees it, loaded once per loader. */
    public static StoreRegistry current() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) loader = StoreRegistry.class.getClassLoader();
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(loader, StoreRegistry::load);
        }
    }

    private static StoreRegistry load(ClassLoader loader) {
        Map<String, StoreProvider> byName = new LinkedHashMap<>();
        List<String> unavailable = new ArrayList<>();
        Iterator<StoreProvider> found = ServiceLoader.load(StoreProvider.class, loader).iterator();
        while (true) {
            StoreProvider p;
            try {
                if (!found.hasNext()) break;
                p = found.next();
                p.name();
            } catch (ServiceConfigurationError | LinkageError e) {
                // An application that depends on racelab-core without, say, Lettuce still gets the other stores.
                unavailable.add(describe(e));
                continue;
            }
            StoreProvider earlier = byName.putIfAbsent(p.name(), p);
            if (earlier != null && earlier.getClass() != p.getClass()) {
                throw new IllegalStateException("two stores are registered as '" + p.name() + "': "
                        + earlier.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalStateException("no store is registered (META-INF/services/" + StoreProvider.class.getName() + ")"
                    + (unavailable.isEmpty() ? "" : "; these could not load: " + String.join("; ", unavailable)));
        }
        return new StoreRegistry(new ArrayList<>(byName.values()), unavailable);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String missing = root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException
                ? " (class " + String.valueOf(root.getMessage()).replace('/', '.') + " is not on the class path: add the store's client library)"
                : " (" + root + ")";
        return e.getMessage() + missing;
    }

    /** The providers that are registered but could not load here, each with the reason. */
    public List<String> unavailable() {
        return unavailable;
    }

    public List<StoreProvider> all() {
        return providers;
    }

    public List<String> names() {
        return providers.stream().map(StoreProvider::name).toList();
    }

    /** The names of the stores that have every one of {@code capabilities}. */
    public List<String> namesWith(Collection<Capability> capabilities) {
        return providers.stream().filter(p -> p.capabilities().containsAll(capabilities)).map(StoreProvider::name).toList();
    }

    public List<String> namesWith(Capability... capabilities) {
        return namesWith(Arrays.asList(capabilities));
    }

    /** The store of that name; otherwise an error on {@code field} listing the choices. */
    public StoreProvider provider(String field, String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> InvalidFieldException.about(field, "unknown store '" + name + "'; choose one of: "
                        + String.join(", ", names())
                        + (unavailable.isEmpty() ? "" : " (not loadable here: " + String.join("; ", unavailable) + ")")));
    }

    public StoreProvider provider(String name) {
        return provider("store", name);
    }

    /** Every setting any store reads, each once (stores that share a server share its setting), in registry order. */
    public List<Setting> settings() {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        for (StoreProvider p : providers) {
            if (!(p instanceof Provisioning provisioning)) continue;
            for (Setting s : provisioning.settings()) byKey.putIfAbsent(s.key(), s);
        }
        return List.copyOf(byKey.values());
    }

    /** The store's address from the settings, its embedded server started; a provider that reads no settings is at its name alone. */
    public Provisioned provision(String name, StoreSettings settings) {
        StoreProvider p = provider(name);
        return p instanceof Provisioning provisioning ? provisioning.provision(settings) : Provisioned.at(new StoreAddress(p.name(), ""));
    }

    /**
     * How the nemesis may stop and start the provisioned store's server: the embedded server
     * racelab started, or a server on loopback started by bin/start-services' command; empty for
     * any other, which the nemesis then refuses to touch.
     */
    public Optional<ServerControl> control(String name, Provisioned provisioned) {
        return ServerControls.of(provider(name), provisioned);
    }

    /** Connects to the store at {@code address} with the provider that address names. */
    public Store open(StoreAddress address, Layout layout, int poolSize) {
        return provider(address.name()).open(address, layout, poolSize);
    }
}

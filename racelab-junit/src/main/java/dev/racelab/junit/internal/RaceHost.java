package dev.racelab.junit.internal;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a framework integration (racelab-spring) adds to a race, found with ServiceLoader so that
 * racelab-junit itself depends on no framework: the DataSource of the test's application, and a
 * check that may refuse a race before it starts.
 */
public interface RaceHost {
    /**
     * Runs on the test's thread as a race starts; throws to refuse it (for example inside a transaction the test holds).
     *
     * @param context the test's extension context
     */
    default void beforeRace(ExtensionContext context) {
    }

    /**
     * The DataSource of the application under test, which {@code race.interleave()} interleaves.
     *
     * @param context the test's extension context
     * @return the application's DataSource, or empty when this host has none for this test
     */
    default Optional<DataSource> dataSource(ExtensionContext context) {
        return Optional.empty();
    }

    /** Every host on the class path, in ServiceLoader's order. */
    static List<RaceHost> all() {
        return Hosts.ALL;
    }

    /** Loaded once: the class path does not change during a test run. */
    final class Hosts {
        private static final List<RaceHost> ALL = ServiceLoader.load(RaceHost.class, RaceHost.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();

        private Hosts() {
        }
    }
}

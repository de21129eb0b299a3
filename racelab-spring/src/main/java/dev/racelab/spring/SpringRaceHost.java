package dev.racelab.spring;

import dev.racelab.junit.internal.RaceHost;
import dev.racelab.junit.internal.SwitchableDataSource;
import java.util.Arrays;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * racelab-junit's view of a Spring test, found by ServiceLoader: the context's DataSource bean for
 * {@code race.interleave()}, and the refusal of a race inside the test's own transaction.
 */
public final class SpringRaceHost implements RaceHost {
    /** The one line a race inside a test-managed transaction fails with. */
    public static final String INSIDE_TEST_TRANSACTION = "racelab: this race runs inside the test's own transaction (@Transactional on"
            + " the test, or @DataJpaTest, which is transactional): the invocations cannot see its uncommitted rows, and a PASS would"
            + " mean nothing. Put @Transactional(propagation = Propagation.NOT_SUPPORTED) on the test method or class.";

    /** Made by ServiceLoader. */
    public SpringRaceHost() {
    }

    /**
     * Refuses the race when the test's thread holds a Spring transaction: the test's setup rows would sit in it,
     * unseen by the invocations, and nothing they did would be committed when the invariants read.
     *
     * @param context the test's extension context
     * @throws ExtensionConfigurationException with {@link #INSIDE_TEST_TRANSACTION} inside a transaction
     */
    @Override
    public void beforeRace(ExtensionContext context) {
        if (Spring.TX && TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new ExtensionConfigurationException(INSIDE_TEST_TRANSACTION);
        }
    }

    /**
     * The Spring test's DataSource bean (the primary one when there are several), made switchable when the
     * context started; empty for a test that is not a Spring test.
     *
     * @param context the test's extension context
     * @return the application's switchable DataSource
     * @throws ExtensionConfigurationException if the Spring context has no DataSource bean to interleave
     */
    @Override
    public Optional<DataSource> dataSource(ExtensionContext context) {
        if (!Spring.TEST || !isSpringTest(context.getRequiredTestClass())) return Optional.empty();
        ApplicationContext app = SpringExtension.getApplicationContext(context);
        DataSource ds = app.getBeanProvider(DataSource.class).getIfUnique();
        if (ds == null) {
            throw new ExtensionConfigurationException("racelab: race.interleave() found no single DataSource bean in the test's Spring"
                    + " context (" + app.getBeanNamesForType(DataSource.class).length + " of them, none primary): pass the one to"
                    + " interleave, race.interleave(dataSource)");
        }
        if (!(ds instanceof SwitchableDataSource)) {
            throw new ExtensionConfigurationException("racelab: the test context's DataSource bean was not made switchable: it was"
                    + " built outside the context's bean post-processing (racelab-spring wraps DataSource beans as the context starts)");
        }
        return Optional.of(ds);
    }

    private static boolean isSpringTest(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            boolean spring = AnnotationSupport.findRepeatableAnnotations(c, ExtendWith.class).stream()
                    .anyMatch(e -> Arrays.asList(e.value()).contains(SpringExtension.class));
            if (spring) return true;
        }
        return false;
    }

    /** Whether Spring's test and transaction support are on the class path: the application brings them, or not. */
    private static final class Spring {
        static final boolean TEST = present("org.springframework.test.context.junit.jupiter.SpringExtension");
        static final boolean TX = present("org.springframework.transaction.support.TransactionSynchronizationManager");

        private static boolean present(String name) {
            try {
                Class.forName(name, false, SpringRaceHost.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}

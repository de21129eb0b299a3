package dev.racelab.junit.internal;

import javax.sql.DataSource;

/**
 * A DataSource that application code already holds (a Spring bean, built into the EntityManagerFactory
 * and the transaction manager at start) and that a race switches into interleaving mode: while
 * routed, its connections come from racelab's interleaving proxy; otherwise from its target, as before.
 * The names are prefixed because the implementation may be a subclass proxy of the user's pool class.
 */
public interface SwitchableDataSource {
    /**
     * The application's own DataSource behind the switch, which racelab's proxy takes connections from.
     *
     * @return the target, never a SwitchableDataSource
     */
    DataSource racelabTarget();

    /**
     * Routes connection requests to {@code race} until {@link #racelabRouteBack()}.
     *
     * @param race racelab's interleaving DataSource over {@link #racelabTarget()}
     * @throws IllegalStateException if already routed (one race at a time), or if {@code race} is this switch itself
     */
    void racelabRouteTo(DataSource race);

    /** Routes connection requests to the target again. */
    void racelabRouteBack();
}

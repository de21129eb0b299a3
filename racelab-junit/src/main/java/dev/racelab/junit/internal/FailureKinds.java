package dev.racelab.junit.internal;

import dev.racelab.junit.FailureKind;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link FailureKind} from an exception: first the SQLSTATE (and MariaDB's error code) of the
 * first SQLException in its cause chain, which says exactly what the server refused; else the names of
 * the chain's exception classes and their superclasses, so Spring's, JPA's and Hibernate's exceptions
 * are known without any of them on racelab-junit's class path.
 */
final class FailureKinds {
    /** One failure read: its kind and the SQLSTATE, {@code ""} when there was none. */
    record Read(FailureKind kind, String sqlState) {
    }

    private static final int MARIADB_DEADLOCK = 1213;
    private static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;

    private static final Map<String, FailureKind> BY_CLASS = Map.ofEntries(
            Map.entry("org.springframework.dao.DeadlockLoserDataAccessException", FailureKind.DEADLOCK),
            Map.entry("org.springframework.dao.CannotSerializeTransactionException", FailureKind.SERIALIZATION),
            Map.entry("org.springframework.dao.CannotAcquireLockException", FailureKind.LOCK_NOT_ACQUIRED),
            Map.entry("org.springframework.dao.PessimisticLockingFailureException", FailureKind.PESSIMISTIC_LOCK),
            Map.entry("org.springframework.dao.OptimisticLockingFailureException", FailureKind.OPTIMISTIC_LOCK),
            Map.entry("org.springframework.dao.DataIntegrityViolationException", FailureKind.INTEGRITY),
            Map.entry("org.springframework.dao.QueryTimeoutException", FailureKind.CANCELLED),
            Map.entry("jakarta.persistence.OptimisticLockException", FailureKind.OPTIMISTIC_LOCK),
            Map.entry("javax.persistence.OptimisticLockException", FailureKind.OPTIMISTIC_LOCK),
            Map.entry("jakarta.persistence.LockTimeoutException", FailureKind.LOCK_NOT_ACQUIRED),
            Map.entry("javax.persistence.LockTimeoutException", FailureKind.LOCK_NOT_ACQUIRED),
            Map.entry("jakarta.persistence.PessimisticLockException", FailureKind.PESSIMISTIC_LOCK),
            Map.entry("javax.persistence.PessimisticLockException", FailureKind.PESSIMISTIC_LOCK),
            Map.entry("jakarta.persistence.EntityExistsException", FailureKind.INTEGRITY),
            Map.entry("org.hibernate.StaleStateException", FailureKind.OPTIMISTIC_LOCK),
            Map.entry("org.hibernate.dialect.lock.OptimisticEntityLockException", FailureKind.OPTIMISTIC_LOCK),
            Map.entry("org.hibernate.exception.LockAcquisitionException", FailureKind.LOCK_NOT_ACQUIRED),
            Map.entry("org.hibernate.exception.LockTimeoutException", FailureKind.LOCK_NOT_ACQUIRED),
            Map.entry("org.hibernate.PessimisticLockException", FailureKind.PESSIMISTIC_LOCK),
            Map.entry("org.hibernate.exception.ConstraintViolationException", FailureKind.INTEGRITY),
            Map.entry("java.sql.SQLIntegrityConstraintViolationException", FailureKind.INTEGRITY));

    private FailureKinds() {
    }

    static Read of(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException e) {
                Set<Throwable> next = Collections.newSetFromMap(new IdentityHashMap<>());
                for (SQLException s = e; s != null && next.add(s); s = s.getNextException()) {
                    if (s.getSQLState() == null) continue;
                    FailureKind k = bySqlState(s.getSQLState(), s.getErrorCode());
                    if (k != null) return new Read(k, s.getSQLState());
                }
            }
        }
        String state = firstSqlState(failure);
        seen.clear();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            for (Class<?> c = t.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                FailureKind k = BY_CLASS.get(c.getName());
                if (k != null) return new Read(k, state);
            }
        }
        return new Read(FailureKind.OTHER, state);
    }

    /** The kind a server's SQLSTATE (and vendor code, for MariaDB's shared ones) names; null for one that names no race. */
    static FailureKind bySqlState(String state, int vendorCode) {
        if (vendorCode == MARIADB_DEADLOCK || state.equals("40P01")) return FailureKind.DEADLOCK;
        if (vendorCode == MARIADB_LOCK_WAIT_TIMEOUT || state.equals("55P03")) return FailureKind.LOCK_NOT_ACQUIRED;
        if (state.equals("40001")) return FailureKind.SERIALIZATION;
        if (state.startsWith("23")) return FailureKind.INTEGRITY;
        if (state.equals("57014")) return FailureKind.CANCELLED;
        return null;
    }

    private static String firstSqlState(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null) return e.getSQLState();
        }
        return "";
    }
}

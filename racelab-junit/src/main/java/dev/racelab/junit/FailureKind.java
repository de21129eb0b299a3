package dev.racelab.junit;

/**
 * Why an invocation failed, by kind rather than by message: a PostgreSQL deadlock's message names
 * process ids, so 279 deadlocks are one kind, not 279 messages. racelab reads the kind from the
 * SQLSTATE of the first {@link java.sql.SQLException} in the cause chain (and MariaDB's error code
 * where its SQLSTATE is shared), else from the exception classes of Spring, JPA and Hibernate by
 * name, so no framework is needed on the class path.
 *
 * <pre>{@code
 * assertThat(race.run().failed(FailureKind.DEADLOCK)).isZero();
 * }</pre>
 */
public enum FailureKind {
    /** The server chose this transaction as a deadlock's victim: SQLSTATE 40P01 (PostgreSQL), error 1213 (MariaDB). */
    DEADLOCK("deadlock"),
    /** A serialization failure: SQLSTATE 40001, Spring's CannotSerializeTransactionException. */
    SERIALIZATION("serialization failure"),
    /**
     * A lock not acquired in time or at once: SQLSTATE 55P03 ({@code NOWAIT}, {@code lock_timeout}), MariaDB's
     * lock wait timeout (1205), Spring's CannotAcquireLockException, JPA's LockTimeoutException.
     */
    LOCK_NOT_ACQUIRED("lock not acquired"),
    /** Another pessimistic lock failure: Spring's PessimisticLockingFailureException, JPA's PessimisticLockException. */
    PESSIMISTIC_LOCK("pessimistic lock failure"),
    /**
     * A version check that found the row changed: Spring's ObjectOptimisticLockingFailureException (and any
     * OptimisticLockingFailureException), JPA's OptimisticLockException, Hibernate's StaleStateException.
     */
    OPTIMISTIC_LOCK("optimistic lock failure"),
    /** A constraint refused the write: SQLSTATE class 23 (unique, foreign key, check), Spring's DataIntegrityViolationException. */
    INTEGRITY("integrity violation"),
    /** The statement was cancelled or timed out: SQLSTATE 57014. */
    CANCELLED("statement cancelled"),
    /** A {@link Race#attempt} that returned false: a refusal the code under test chose. */
    REFUSED("refused (returned false)"),
    /** Any other exception, grouped by its class. */
    OTHER("other");

    private final String words;

    FailureKind(String words) {
        this.words = words;
    }

    /**
     * The kind as a message names it.
     *
     * @return such as {@code "deadlock"} or {@code "optimistic lock failure"}
     */
    public String words() {
        return words;
    }
}

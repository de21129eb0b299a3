package dev.racelab.internal.probe.sql;

import dev.racelab.core.FailReason;
import dev.racelab.core.InvalidFieldException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The failures after which load mode runs a session's whole transaction again, as an application would. */
public enum RetryOn {
    /** 40001, and MariaDB's innodb_snapshot_isolation refusal (error 1020), which means the same to the application. */
    SERIALIZATION("serialization", FailReason.SERIALIZATION),
    /** 40P01 (PostgreSQL), error 1213 (MariaDB). */
    DEADLOCK("deadlock", FailReason.DEADLOCK),
    /** 55P03 (PostgreSQL lock_timeout), error 1205 (MariaDB innodb_lock_wait_timeout). */
    LOCK_TIMEOUT("lock-timeout", FailReason.LOCK_TIMEOUT);

    private final String word;
    private final FailReason reason;

    RetryOn(String word, FailReason reason) {
        this.word = word;
        this.reason = reason;
    }

    public String word() {
        return word;
    }

    /** The retryable reason the retrier sees for a failure of this kind. */
    FailReason reason() {
        return reason;
    }

    boolean covers(SqlFailure failure) {
        return switch (this) {
            case SERIALIZATION -> failure.kind() == SqlFailure.Kind.SERIALIZATION || failure.kind() == SqlFailure.Kind.SNAPSHOT_CONFLICT;
            case DEADLOCK -> failure.kind() == SqlFailure.Kind.DEADLOCK;
            case LOCK_TIMEOUT -> failure.kind() == SqlFailure.Kind.LOCK_TIMEOUT;
        };
    }

    /** The kind of {@code failure} that {@code kinds} retries, or null. */
    static RetryOn covering(Set<RetryOn> kinds, SqlFailure failure) {
        for (RetryOn k : kinds) if (k.covers(failure)) return k;
        return null;
    }

    /** "serialization,deadlock"; null or empty: retry nothing. */
    public static Set<RetryOn> parse(String text) {
        Set<RetryOn> out = EnumSet.noneOf(RetryOn.class);
        if (text == null || text.isBlank()) return out;
        for (String word : text.split(",")) {
            String w = word.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            RetryOn found = null;
            for (RetryOn k : values()) if (k.word.equals(w)) found = k;
            if (found == null) {
                throw InvalidFieldException.about("retry", "{field}: unknown failure '" + word.trim()
                        + "'; choose serialization, deadlock or lock-timeout, separated by commas");
            }
            out.add(found);
        }
        return out;
    }
}

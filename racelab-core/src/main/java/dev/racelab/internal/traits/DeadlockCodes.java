package dev.racelab.internal.traits;

/** A store that names a deadlock to its clients by a code (PostgreSQL's 40P01, MariaDB's 1213): the HTTP service's deadlock demo shows it. */
public interface DeadlockCodes {
    String deadlockCode();

    /** The store's deadlock code, or null when it names none. */
    static String of(Object store) {
        return store instanceof DeadlockCodes codes ? codes.deadlockCode() : null;
    }
}

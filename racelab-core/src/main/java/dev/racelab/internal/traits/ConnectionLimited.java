package dev.racelab.internal.traits;

/** A store whose server accepts a limited number of connections: the coordinator sizes each instance's pool by it. */
public interface ConnectionLimited {
    /** How many more connections the server accepts now. */
    int connectionHeadroom();

    /** The store's headroom; unlimited for a store without such a limit. */
    static int headroomOf(Object store) {
        return store instanceof ConnectionLimited limited ? limited.connectionHeadroom() : Integer.MAX_VALUE;
    }
}

package dev.racelab.internal.strategy;

/**
 * Whether a strategy keeps every acknowledged change through each fault racelab injects: a
 * client killed mid-operation, a lock holder paused past its lease, the cell store restarted
 * (on a store that keeps what it acknowledged) and the lease store restarted. Some of these are
 * shown by a fault test for some strategies and stores (KilledWorkerTest, FaultsPerStoreTest,
 * PauseHolderTest, RestartStoreTest, ServerFaultsTest, TwoStoreOrderTest), the rest argued; the
 * fault table of docs/FAULTS.md says which, cell by cell.
 */
public record FaultModel(Safety clientCrash, Safety holderPause, Safety cellStoreRestart, Safety leaseStoreRestart) {
    /** What happens to acknowledged changes under one fault. */
    public enum Safety {
        SAFE("safe"),
        UNSAFE("loses updates"),
        NONE("no lease to lose");

        private final String words;

        Safety(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** A single-store strategy without leases: each operation is one atomic step, or a transaction, of the store. */
    public static final FaultModel STORE_STEPS = new FaultModel(Safety.SAFE, Safety.NONE, Safety.SAFE, Safety.NONE);
    /** The naive baselines lose updates with no fault at all. */
    public static final FaultModel UNSAFE = new FaultModel(Safety.UNSAFE, Safety.UNSAFE, Safety.UNSAFE, Safety.UNSAFE);
    /** A lease around a read-modify-write, with no fence: a paused or cut-off holder writes after the next one. */
    public static final FaultModel UNFENCED_LEASE = new FaultModel(Safety.SAFE, Safety.UNSAFE, Safety.SAFE, Safety.UNSAFE);
    /** A lease whose token the cell store checks: a stale holder's write is refused. */
    public static final FaultModel FENCED_LEASE = new FaultModel(Safety.SAFE, Safety.SAFE, Safety.SAFE, Safety.SAFE);
    /** Two stores, two writes (seed 002): a client that dies between them leaves stock taken with no order. */
    public static final FaultModel TWO_WRITES = new FaultModel(Safety.UNSAFE, Safety.NONE, Safety.SAFE, Safety.NONE);

    public String describe() {
        return "client crash: " + clientCrash.words() + "; holder pause: " + holderPause.words() + "; cell-store restart: "
                + cellStoreRestart.words() + "; lease-store restart: " + leaseStoreRestart.words();
    }
}

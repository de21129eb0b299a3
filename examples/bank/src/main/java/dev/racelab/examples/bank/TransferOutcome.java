package dev.racelab.examples.bank;

/** How a transfer ended: a refused overdraft is an answer, not an exception. */
public enum TransferOutcome {
    /** Both balances changed, in one transaction. */
    TRANSFERRED,
    /** The source account held less than the amount; nothing moved. */
    INSUFFICIENT_FUNDS
}

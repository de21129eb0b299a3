package dev.racelab.internal.check;

/**
 * The proof for guard rows (orders): every acknowledged operation's row exists, no refused
 * operation left one, and the rows account for exactly the change in the cells. {@code
 * changeWithoutRow} counts units the cells moved with no row to show for them (stock taken by
 * a client that died between its two writes); {@code rowsWithoutChange} counts units rows
 * claim that the cells never gave. {@code recovered} is how many rows a recovery sweep wrote
 * before the check.
 */
public record GuardVerdict(long rows, long acknowledged, long missing, long orphans, long changeWithoutRow,
                           long rowsWithoutChange, long recovered) {
    public boolean holds() {
        return missing == 0 && orphans == 0 && changeWithoutRow == 0 && rowsWithoutChange == 0;
    }
}

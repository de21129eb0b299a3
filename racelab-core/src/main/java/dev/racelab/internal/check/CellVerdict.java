package dev.racelab.internal.check;

/**
 * The proof for one cell. The store must hold at least {@code low} and at most {@code high}:
 * the initial value plus every acknowledged delta, widened only by operations whose outcome
 * is unknown. Outside that range updates were lost (an increment missing, or a decrement
 * missing so stock looks untouched) or a refused update landed anyway. With a floor, the
 * acknowledged deltas must not take more than the cell had: what they take beyond it is oversold.
 */
public record CellVerdict(String key, long initial, long acknowledged, long low, long high, long actual,
                          long floor, boolean hasFloor) {
    public CellVerdict {
        if (low > high) throw new IllegalArgumentException("low bound above high bound for " + key);
    }

    /** What the acknowledged operations say the cell should hold. */
    public long expected() {
        return initial + acknowledged;
    }

    private boolean decrements() {
        return acknowledged < 0;
    }

    private long below() {
        return Math.max(0, low - actual);
    }

    private long above() {
        return Math.max(0, actual - high);
    }

    /** Acknowledged change the store does not show. */
    public long lost() {
        return decrements() ? above() : below();
    }

    /** Change the store shows that no acknowledged or unknown operation explains. */
    public long phantom() {
        return decrements() ? below() : above();
    }

    /** Units acknowledged beyond the floor: sold without stock, paid without funds. */
    public long oversold() {
        return hasFloor ? Math.max(0, floor - expected()) : 0;
    }

    public boolean floorCrossed() {
        return hasFloor && actual < floor;
    }

    public boolean holds() {
        return lost() == 0 && phantom() == 0 && oversold() == 0 && !floorCrossed();
    }
}

package dev.racelab.check;

/**
 * The proof for one cell. The store must hold at least {@code low} and at most {@code high}:
 * the initial value plus every acknowledged delta, widened only by operations whose outcome
 * is unknown. Below {@code low}, acknowledged updates were lost; above {@code high}, an
 * update the client was told had failed landed anyway.
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

    public long lost() {
        return Math.max(0, low - actual);
    }

    public long phantom() {
        return Math.max(0, actual - high);
    }

    public boolean floorCrossed() {
        return hasFloor && actual < floor;
    }

    public boolean holds() {
        return lost() == 0 && phantom() == 0 && !floorCrossed();
    }
}

package dev.racelab.core;

/** The cell an operation names does not exist: an unknown account or product, not a store failure. */
public class NoSuchCellException extends StoreException {
    private final String key;

    public NoSuchCellException(String key, String message) {
        super(message, null, false);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

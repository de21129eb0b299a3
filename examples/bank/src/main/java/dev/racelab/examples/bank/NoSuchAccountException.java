package dev.racelab.examples.bank;

/** No account has the id asked for. */
public class NoSuchAccountException extends IllegalArgumentException {
    private final long id;

    public NoSuchAccountException(long id) {
        super("no account with id " + id);
        this.id = id;
    }

    public long id() {
        return id;
    }
}

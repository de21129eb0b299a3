package dev.racelab.internal.scenario;

import dev.racelab.core.Money;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.core.UsageException;

/**
 * The knobs of the scenarios. Orders: which catalog product, the stock the run starts with
 * (the catalog's when null) and the units per order. Accounts (deposit, transfer): how many
 * accounts, the balance each starts with and the amount each deposit adds or each transfer
 * moves at most, all in minor units. Likes: how many posts and users. Counter: over how many
 * rows the increments spread (1 is the hot row). Validated when built, so bad input is refused
 * before any store is touched.
 */
public record ScenarioOptions(String product, Long stock, long quantity, int accounts, long balance, long amount,
                              int posts, int users, int rows) {
    /** Far above any real stock, and far enough below Long.MAX_VALUE that no sum overflows. */
    public static final long MAX_STOCK = 1_000_000_000_000L;
    public static final int MAX_ACCOUNTS = 1_000_000;
    /** Seed 003: account 1 starts with 1000.00 and every request deposits 10.00. */
    public static final long DEFAULT_BALANCE = 100_000;
    public static final long DEFAULT_AMOUNT = 1_000;

    public static final ScenarioOptions DEFAULT = new ScenarioOptions("p1", null, 1);

    public ScenarioOptions {
        if (product == null || product.isBlank()) product = "p1";
        Product.byId(product);
        if (stock != null && stock < 0) throw InvalidFieldException.about("stock", "{field} must not be negative, was " + stock);
        if (stock != null && stock > MAX_STOCK) {
            throw InvalidFieldException.about("stock", "{field} " + stock + " overflows the limit of " + MAX_STOCK + " units");
        }
        if (quantity < 1) throw InvalidFieldException.about("quantity", "{field} must be at least 1, was " + quantity);
        if (quantity > MAX_STOCK) throw InvalidFieldException.about("quantity", "{field} " + quantity + " overflows the limit of " + MAX_STOCK);
        if (accounts < 1) throw InvalidFieldException.about("accounts", "{field} must be at least 1, was " + accounts);
        if (accounts > MAX_ACCOUNTS) throw InvalidFieldException.about("accounts", "{field} must be at most " + MAX_ACCOUNTS + ", was " + accounts);
        if (balance < 0 || balance > Money.MAX_MINOR) {
            throw InvalidFieldException.about("balance", "{field} must be between 0 and " + Money.format(Money.MAX_MINOR) + ", was " + Money.format(balance));
        }
        if (posts < 1 || posts > MAX_ACCOUNTS) throw InvalidFieldException.about("posts", "{field} must be between 1 and " + MAX_ACCOUNTS + ", was " + posts);
        if (users < 1 || users > MAX_ACCOUNTS) throw InvalidFieldException.about("users", "{field} must be between 1 and " + MAX_ACCOUNTS + ", was " + users);
        if (rows < 1 || rows > MAX_ACCOUNTS) throw InvalidFieldException.about("rows", "{field} must be between 1 and " + MAX_ACCOUNTS + ", was " + rows);
        if (amount < 1 || amount > Money.MAX_MINOR) {
            throw InvalidFieldException.about("amount", "{field} must be between 0.01 and " + Money.format(Money.MAX_MINOR) + ", was " + Money.format(amount));
        }
    }

    public ScenarioOptions(String product, Long stock, long quantity) {
        this(product, stock, quantity, 1, DEFAULT_BALANCE, DEFAULT_AMOUNT, 1, 10);
    }

    /** Every knob but the counter's rows, which is then 1: the hot row. */
    public ScenarioOptions(String product, Long stock, long quantity, int accounts, long balance, long amount, int posts, int users) {
        this(product, stock, quantity, accounts, balance, amount, posts, users, 1);
    }

    /** The same options with the counter spread over {@code rows} rows. */
    public ScenarioOptions withRows(int rows) {
        return new ScenarioOptions(product, stock, quantity, accounts, balance, amount, posts, users, rows);
    }

    /** Accounts for the deposit and transfer scenarios, with the order knobs at their defaults. */
    public static ScenarioOptions accounts(int accounts, long balance, long amount) {
        return new ScenarioOptions("p1", null, 1, accounts, balance, amount, 1, 10);
    }

    public long initialStock() {
        return stock != null ? stock : Product.byId(product).stock();
    }
}

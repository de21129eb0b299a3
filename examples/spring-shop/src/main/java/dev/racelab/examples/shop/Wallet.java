package dev.racelab.examples.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A wallet with an optimistic lock: {@code @Version}. */
@Entity
@Table(name = "shop_wallet")
public class Wallet {
    @Id
    private Long id;
    private long balance;
    @Version
    private long version;

    protected Wallet() {
    }

    public Wallet(long id, long balance) {
        this.id = id;
        this.balance = balance;
    }

    public Long getId() {
        return id;
    }

    public long getBalance() {
        return balance;
    }

    public void setBalance(long balance) {
        this.balance = balance;
    }
}

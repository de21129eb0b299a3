package dev.racelab.examples.shop;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A payment, recorded under the client's idempotency key (unique: a retried request must not pay twice). */
@Entity
@Table(name = "shop_payment")
public class Payment {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "idempotency_key", nullable = false, unique = true)
    private String idempotencyKey;
    private long amount;

    protected Payment() {
    }

    public Payment(String idempotencyKey, long amount) {
        this.idempotencyKey = idempotencyKey;
        this.amount = amount;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public long getAmount() {
        return amount;
    }
}

package dev.racelab.examples.shop;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The card processor, outside the database: a charge it made stays made whatever the shop's transaction does
 * afterwards. This one only records the charges per idempotency key, so a test can count them.
 */
@Component
public class CardGateway {
    private final Map<String, AtomicInteger> charges = new ConcurrentHashMap<>();

    public void charge(String idempotencyKey, long amount) {
        if (amount <= 0) throw new IllegalArgumentException("amount must be > 0, was " + amount);
        charges.computeIfAbsent(idempotencyKey, k -> new AtomicInteger()).incrementAndGet();
    }

    /** How many times the card was charged under this key. */
    public int charges(String idempotencyKey) {
        AtomicInteger n = charges.get(idempotencyKey);
        return n == null ? 0 : n.get();
    }
}

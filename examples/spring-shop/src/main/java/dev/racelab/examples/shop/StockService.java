package dev.racelab.examples.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Buying stock: check-then-decrement and a lock that fails fast, beside the lock that waits. */
@Service
public class StockService {
    private final ItemRepository items;

    public StockService(ItemRepository items) {
        this.items = items;
    }

    /** Buggy: two buyers both see the last item in stock and both buy it (oversold). */
    @Transactional
    public boolean buyCheckThenDecrement(long id) {
        Item item = items.findById(id).orElseThrow();
        if (item.getStock() <= 0) return false;
        item.setStock(item.getStock() - 1);
        return true;
    }

    /** Fixed: the read takes the row lock ({@code @Lock(PESSIMISTIC_WRITE)}); a second buyer waits for it. */
    @Transactional
    public boolean buyLocked(long id) {
        Item item = items.findForUpdate(id).orElseThrow();
        if (item.getStock() <= 0) return false;
        item.setStock(item.getStock() - 1);
        return true;
    }

    /**
     * Buggy: the lock is taken with NOWAIT ({@code jakarta.persistence.lock.timeout = 0}), so a buyer who finds it
     * held fails at once with a lock failure, though the item is in stock. Nothing is oversold; a sale is refused.
     */
    @Transactional
    public boolean buyFailFast(long id) {
        Item item = items.findForUpdateNoWait(id).orElseThrow();
        if (item.getStock() <= 0) return false;
        item.setStock(item.getStock() - 1);
        return true;
    }
}

package dev.racelab.examples.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Pattern (b): stock check-then-decrement, beside the pessimistic lock. */
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

    /** Fixed: the read takes the row lock ({@code @Lock(PESSIMISTIC_WRITE)}). */
    @Transactional
    public boolean buyLocked(long id) {
        Item item = items.findForUpdate(id).orElseThrow();
        if (item.getStock() <= 0) return false;
        item.setStock(item.getStock() - 1);
        return true;
    }
}

package dev.racelab.examples.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The shop owner's edits to an item: its price. */
@Service
public class CatalogueService {
    private final ItemRepository items;

    public CatalogueService(ItemRepository items) {
        this.items = items;
    }

    /** The item as an edit form shows it: a copy, detached once this transaction ends. */
    @Transactional(readOnly = true)
    public Item loadForEditing(long id) {
        return items.findById(id).orElseThrow();
    }

    /**
     * Buggy: {@code save} merges the whole detached copy, every column as it was when the form was opened, so a
     * sale committed since then is undone (its stock comes back).
     */
    @Transactional
    public void saveEdited(Item edited) {
        items.save(edited);
    }

    /** Fixed: only the edited column is written; a sale committed meanwhile stays. */
    @Transactional
    public void changePrice(long id, long price) {
        if (items.setPrice(id, price) != 1) throw new IllegalArgumentException("no item " + id);
    }
}

package dev.racelab.examples.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An item in stock. */
@Entity
@Table(name = "shop_item")
public class Item {
    @Id
    private Long id;
    private int stock;

    protected Item() {
    }

    public Item(long id, int stock) {
        this.id = id;
        this.stock = stock;
    }

    public Long getId() {
        return id;
    }

    public int getStock() {
        return stock;
    }

    public void setStock(int stock) {
        this.stock = stock;
    }
}

package dev.racelab.examples.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An item in stock, with its price. */
@Entity
@Table(name = "shop_item")
public class Item {
    @Id
    private Long id;
    private int stock;
    private long price;

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

    public long getPrice() {
        return price;
    }

    public void setPrice(long price) {
        this.price = price;
    }
}

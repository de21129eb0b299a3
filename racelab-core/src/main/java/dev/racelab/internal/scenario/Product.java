package dev.racelab.internal.scenario;

import dev.racelab.core.InvalidFieldException;
import java.util.List;

/** A product of the sample catalog that {@code racelab populate} writes (seed 001's --populate-table). */
public record Product(String id, String name, long stock) {
    public static final List<Product> CATALOG = List.of(
            new Product("p1", "flash-sale sneakers", 100),
            new Product("p2", "last concert ticket", 1),
            new Product("p3", "limited vinyl", 10),
            new Product("p4", "warehouse pallet", 5_000),
            new Product("p5", "gift card", 1_000_000));

    public static Product byId(String id) {
        return CATALOG.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> InvalidFieldException.about("product", "unknown product '" + id + "'; the catalog has: "
                        + String.join(", ", CATALOG.stream().map(Product::id).toList())));
    }

    /** The cell key a product's stock lives under ({@code racelab populate} uses no run prefix). */
    public static String stockKey(String prefix, String productId) {
        return prefix + "stock:" + productId;
    }
}

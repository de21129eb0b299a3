package dev.racelab.examples.shop;

import jakarta.persistence.LockModeType;
import jakarta.persistence.QueryHint;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;
import org.springframework.data.repository.query.Param;

public interface ItemRepository extends JpaRepository<Item, Long> {
    /** The fix: {@code select ... for update}, so a second buyer waits for the first one's commit and then sees its stock. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select i from Item i where i.id = :id")
    Optional<Item> findForUpdate(@Param("id") long id);

    /**
     * {@code select ... for update nowait} (lock timeout 0): a second buyer does not wait for the first, it fails at
     * once with a lock failure, though stock is left.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "0"))
    @Query("select i from Item i where i.id = :id")
    Optional<Item> findForUpdateNoWait(@Param("id") long id);

    /** Changes the price and nothing else: a concurrent sale's stock stays as it committed. */
    @Modifying
    @Query("update Item i set i.price = :price where i.id = :id")
    int setPrice(@Param("id") long id, @Param("price") long price);
}

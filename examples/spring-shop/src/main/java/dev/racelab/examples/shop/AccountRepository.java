package dev.racelab.examples.shop;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface AccountRepository extends JpaRepository<Account, Long> {
    /** The fix: the database adds, in one statement, whatever the balance is when it runs. */
    @Modifying
    @Query("update Account a set a.balance = a.balance + :amount where a.id = :id")
    int addToBalance(@Param("id") long id, @Param("amount") long amount);

    /** The fix for an overspend: the check and the take are one statement; 0 rows means the balance did not cover it. */
    @Modifying
    @Query("update Account a set a.balance = a.balance - :amount where a.id = :id and a.balance >= :amount")
    int takeIfCovered(@Param("id") long id, @Param("amount") long amount);

    /** {@code select ... for update}: a second reader waits for the first one's commit, then reads its balance. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from Account a where a.id = :id")
    Optional<Account> findForUpdate(@Param("id") long id);

    @Query("select coalesce(sum(a.balance), 0) from Account a where a.id in :ids")
    long total(@Param("ids") java.util.Collection<Long> ids);
}

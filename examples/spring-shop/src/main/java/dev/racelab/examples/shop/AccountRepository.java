package dev.racelab.examples.shop;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface AccountRepository extends JpaRepository<Account, Long> {
    /** The fix: the database adds, in one statement, whatever the balance is when it runs. */
    @Modifying
    @Query("update Account a set a.balance = a.balance + :amount where a.id = :id")
    int addToBalance(@Param("id") long id, @Param("amount") long amount);
}

package dev.racelab.examples.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deposits, three ways to lose one and two ways not to: entity read-modify-write, {@code synchronized} inside the
 * transaction, REPEATABLE READ without a retry; beside the atomic update and the locking read.
 */
@Service
public class DepositService {
    private final AccountRepository accounts;

    public DepositService(AccountRepository accounts) {
        this.accounts = accounts;
    }

    /** Buggy: two deposits read the same balance and the second write overwrites the first (a lost update). */
    @Transactional
    public void depositReadModifyWrite(long id, long amount) {
        Account a = accounts.findById(id).orElseThrow();
        a.setBalance(a.getBalance() + amount);
        accounts.save(a);
    }

    /** Fixed: {@code update ... set balance = balance + :amount}. */
    @Transactional
    public void depositAtomic(long id, long amount) {
        if (accounts.addToBalance(id, amount) != 1) throw new IllegalArgumentException("no account " + id);
    }

    /**
     * Buggy: the monitor is released when the method returns, but the transaction proxy commits after that (and
     * Hibernate flushes the update only then), so a second deposit reads the balance before the first one commits.
     */
    @Transactional
    public synchronized void depositSynchronized(long id, long amount) {
        Account a = accounts.findById(id).orElseThrow();
        a.setBalance(a.getBalance() + amount);
    }

    /** Fixed: the read takes the row lock ({@code select ... for update}), which the database holds until the commit. */
    @Transactional
    public void depositLocked(long id, long amount) {
        Account a = accounts.findForUpdate(id).orElseThrow();
        a.setBalance(a.getBalance() + amount);
    }

    /**
     * Buggy on PostgreSQL: at REPEATABLE READ nothing is lost, but a deposit whose row another one changed since
     * its snapshot fails ("could not serialize access due to concurrent update"), and nothing runs it again.
     * On MariaDB the same code loses the deposit silently.
     */
    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public void depositRepeatableRead(long id, long amount) {
        Account a = accounts.findById(id).orElseThrow();
        a.setBalance(a.getBalance() + amount);
    }
}

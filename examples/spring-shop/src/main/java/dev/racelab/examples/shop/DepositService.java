package dev.racelab.examples.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Pattern (a): entity read-modify-write, beside the atomic update. */
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
}

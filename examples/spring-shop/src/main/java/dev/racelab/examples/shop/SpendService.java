package dev.racelab.examples.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A gift card's balance: spending checks that it covers the amount. */
@Service
public class SpendService {
    private final AccountRepository accounts;

    public SpendService(AccountRepository accounts) {
        this.accounts = accounts;
    }

    /** Buggy: two purchases both see the balance cover them, and both are paid from it (overspent). */
    @Transactional
    public boolean spendCheckThenWrite(long card, long amount) {
        Account a = accounts.findById(card).orElseThrow();
        if (a.getBalance() < amount) return false;
        a.setBalance(a.getBalance() - amount);
        return true;
    }

    /** Fixed: {@code update ... set balance = balance - :amount where balance >= :amount}; 0 rows is a refusal. */
    @Transactional
    public boolean spendIfCovered(long card, long amount) {
        return accounts.takeIfCovered(card, amount) == 1;
    }
}

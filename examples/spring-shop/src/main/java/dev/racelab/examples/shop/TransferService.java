package dev.racelab.examples.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Transfers between two accounts: money only moves, the total stays. */
@Service
public class TransferService {
    private final AccountRepository accounts;

    public TransferService(AccountRepository accounts) {
        this.accounts = accounts;
    }

    /**
     * Buggy: both balances are read, changed in the application and written back; a transfer that runs at the same
     * time overwrites one of them, and money appears or vanishes.
     */
    @Transactional
    public void transferReadModifyWrite(long from, long to, long amount) {
        Account a = accounts.findById(from).orElseThrow();
        Account b = accounts.findById(to).orElseThrow();
        a.setBalance(a.getBalance() - amount);
        b.setBalance(b.getBalance() + amount);
    }

    /** Fixed: both rows locked, the lower id first, so two opposite transfers wait for each other instead of deadlocking. */
    @Transactional
    public void transferLocked(long from, long to, long amount) {
        Account first = accounts.findForUpdate(Math.min(from, to)).orElseThrow();
        Account second = accounts.findForUpdate(Math.max(from, to)).orElseThrow();
        Account a = first.getId() == from ? first : second;
        Account b = a == first ? second : first;
        a.setBalance(a.getBalance() - amount);
        b.setBalance(b.getBalance() + amount);
    }
}

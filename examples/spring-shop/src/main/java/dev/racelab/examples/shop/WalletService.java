package dev.racelab.examples.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Pattern (c): {@code @Version} without a retry. The loser of a race gets ObjectOptimisticLockingFailureException. */
@Service
public class WalletService {
    private final WalletRepository wallets;

    public WalletService(WalletRepository wallets) {
        this.wallets = wallets;
    }

    /** Buggy: nothing is lost, but a customer's deposit fails whenever another one lands between its read and its write. */
    @Transactional
    public void deposit(long id, long amount) {
        Wallet w = wallets.findById(id).orElseThrow();
        w.setBalance(w.getBalance() + amount);
    }
}

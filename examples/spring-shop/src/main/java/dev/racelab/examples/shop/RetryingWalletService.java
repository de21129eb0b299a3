package dev.racelab.examples.shop;

import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.stereotype.Service;

/**
 * Pattern (c), fixed: Spring Framework 7's {@code @Retryable} runs the whole transaction again after an
 * optimistic-lock failure. It sits on another bean than the {@code @Transactional} method, so that each
 * attempt is a new transaction that reads the new version.
 */
@Service
public class RetryingWalletService {
    private final WalletService wallets;

    public RetryingWalletService(WalletService wallets) {
        this.wallets = wallets;
    }

    @Retryable(includes = ObjectOptimisticLockingFailureException.class, maxRetries = 10, delay = 1, jitter = 0)
    public void deposit(long id, long amount) {
        wallets.deposit(id, amount);
    }
}

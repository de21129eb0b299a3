package dev.racelab.examples.shop;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.stereotype.Service;

/**
 * REPEATABLE READ, fixed on PostgreSQL: Spring Framework 7's {@code @Retryable} runs the whole transaction again
 * after a serialization failure (a {@link ConcurrencyFailureException}). On another bean than the transactional
 * method, so that each attempt is a new transaction with a new snapshot.
 */
@Service
public class RetryingDepositService {
    private final DepositService deposits;

    public RetryingDepositService(DepositService deposits) {
        this.deposits = deposits;
    }

    @Retryable(includes = ConcurrencyFailureException.class, maxRetries = 10, delay = 1, jitter = 0)
    public void depositRepeatableRead(long id, long amount) {
        deposits.depositRepeatableRead(id, amount);
    }
}

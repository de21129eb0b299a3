package dev.racelab.examples.shop;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Payments with an idempotency key: a client that sends the same payment twice must be charged once. */
@Service
public class PaymentService {
    private final PaymentRepository payments;
    private final CardGateway gateway;
    private final TransactionTemplate tx;

    public PaymentService(PaymentRepository payments, CardGateway gateway, PlatformTransactionManager transactions) {
        this.payments = payments;
        this.gateway = gateway;
        this.tx = new TransactionTemplate(transactions);
    }

    /**
     * Buggy: two requests with the same key both find it unused and both charge the card; the unique key then stops
     * the second payment row, but the charge has gone out. true is "paid", false "already paid".
     */
    @Transactional
    public boolean payCheckThenInsert(String key, long amount) {
        if (payments.existsByIdempotencyKey(key)) return false;
        gateway.charge(key, amount);
        payments.save(new Payment(key, amount));
        return true;
    }

    /**
     * Fixed: the key is inserted first (and flushed), so a second request waits on the unique index until the first
     * commits, then fails there, before it charges anything; it hears "already paid".
     */
    public boolean payOnce(String key, long amount) {
        try {
            return Boolean.TRUE.equals(tx.execute(status -> {
                payments.saveAndFlush(new Payment(key, amount));
                gateway.charge(key, amount);
                return true;
            }));
        } catch (DataIntegrityViolationException alreadyPaid) {
            return false;
        }
    }
}

package dev.racelab.examples.bank;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The repository with its broken deposit's read-write gap held open: the first two deposits to
 * read wait for each other before either writes, so one of them is certainly lost. They are on
 * two threads (a thread waiting here cannot start another deposit), and neither write can be
 * seen by the other's read.
 */
final class TwoDepositsReadTogether extends AccountRepository {
    private final CyclicBarrier bothRead = new CyclicBarrier(2);
    private final AtomicInteger reads = new AtomicInteger();

    TwoDepositsReadTogether(DataSource dataSource, String table) {
        super(dataSource, table);
    }

    @Override
    protected void afterRead(long id, long balanceRead) throws InterruptedException {
        if (reads.getAndIncrement() >= 2) return;
        try {
            bothRead.await(10, TimeUnit.SECONDS);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("the second deposit never read: was the race run on one thread?", e);
        }
    }
}

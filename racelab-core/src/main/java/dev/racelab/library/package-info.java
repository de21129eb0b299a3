/**
 * racelab's proven strategies, for application code: each helper wraps one statement shape
 * that racelab's checker passes under contention, and reports a lost race as a value.
 *
 * <ul>
 *   <li>{@link dev.racelab.library.OptimisticUpdate}: read, then a compare-and-set on a version
 *       column, retried by a {@link dev.racelab.retry.Retrier};</li>
 *   <li>{@link dev.racelab.library.FencedWrite}: a read and a write the database refuses when
 *       their fencing token is older than the last one it took;</li>
 *   <li>{@link dev.racelab.library.IdempotencyKeys}: work done at most once per key, in the same
 *       transaction as the key;</li>
 *   <li>{@link dev.racelab.library.LeaseLock}: a lease on Redis or ZooKeeper with a fencing token
 *       that only grows.</li>
 * </ul>
 *
 * <pre>{@code
 * Retrier retrier = Retrier.of(RetryPolicy.exponentialJitter(Duration.ofMillis(1), Duration.ofMillis(50), 1000));
 * UpdateResult r = OptimisticUpdate.on(dataSource, "accounts", "balance", "version").add(42, 10, retrier);
 * if (!r.applied()) log.warn("deposit gave up after {} retries", r.retries());
 * }</pre>
 */
package dev.racelab.library;

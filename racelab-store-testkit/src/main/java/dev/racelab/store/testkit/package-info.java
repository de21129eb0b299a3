/**
 * The role contracts a store proves itself with, one abstract JUnit 5 class per role of
 * {@code dev.racelab.store}: a store's test extends the contract of each role it declares, and
 * only those, and says how to open the store.
 *
 * <pre>{@code
 * class MyStoreCellsTest extends CellsContract {
 *     @Override
 *     protected Store openStore() {
 *         return new MyStoreProvider().open(new StoreAddress("mystore", "mystore://localhost"), Layout.KEYED, 4);
 *     }
 * }
 * }</pre>
 *
 * <p>{@link dev.racelab.store.testkit.Covers} on each contract names the capabilities it proves.
 * The row-lock and advisory-lock contracts also ask for a {@link dev.racelab.store.testkit.LockWaitView},
 * the server's own view of which session waits for a lock, so they force their moment rather
 * than sleep.
 */
package dev.racelab.store.testkit;

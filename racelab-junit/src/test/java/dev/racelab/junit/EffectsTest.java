package dev.racelab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Invariants on effects: a payment that checks "paid?", charges a (fake) gateway, then marks the order
 * paid only if still unpaid. Interleaved, both invocations charge; the second then fails to mark it, so
 * one call is acknowledged and the card is charged twice. Counting acknowledged calls misses it;
 * counting the gateway's charges catches it, and {@code Invariant.that} shows the numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EffectsTest {
    static final int ORDER = 7;
    HikariDataSource ds;
    Accounts orders;

    @BeforeAll
    void open() throws Exception {
        ds = RaceContract.pool(RacePostgresTest.URL, 4);
        orders = new Accounts(ds, "rl_junit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        orders.create();
    }

    @AfterAll
    void close() throws Exception {
        if (orders != null) orders.drop();
        if (ds != null) ds.close();
    }

    /** Charges recorded per order, as a payment provider's sandbox would. */
    static final class Gateway {
        final Map<Integer, Long> charges = new ConcurrentHashMap<>();

        void charge(int order) {
            charges.merge(order, 1L, Long::sum);
        }

        long total() {
            return charges.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Check, charge, then mark paid if still unpaid: the mark refuses a second payment, but after its charge. */
    static void pay(DataSource ds, String table, Gateway gateway, int order) throws Exception {
        try (Connection c = ds.getConnection()) {
            long paid;
            try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ?")) {
                ps.setInt(1, order);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    paid = rs.getLong(1);
                }
            }
            if (paid != 0) throw new IllegalStateException("order " + order + " is paid already");
            gateway.charge(order);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = 1 WHERE id = ? AND balance = 0")) {
                ps.setInt(1, order);
                if (ps.executeUpdate() == 0) throw new IllegalStateException("order " + order + " was paid meanwhile");
            }
        }
    }

    @RaceTest
    void aCardChargedTwiceWhileOneCallSucceededIsCaughtByItsEffects(Race race) {
        DataSource through = race.interleave(ds);
        Gateway gateway = new Gateway();
        race.setup(() -> {
            orders.reset(ORDER, 0);
            gateway.charges.clear();
        });
        race.op(() -> pay(through, orders.table(), gateway, ORDER));
        race.expect(Invariant.once("order by acknowledged calls", inv -> ORDER));
        race.expect(Invariant.once("order", inv -> ORDER, () -> gateway.charges));
        race.expect(Invariant.that("one charge per paid order", o -> gateway.total() <= orders.balance(ORDER),
                Invariant.show("charges", gateway::total), Invariant.show("paid orders", () -> orders.balance(ORDER))));
        RaceResult result = race.run();
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).as(result.message()).isEqualTo(1);
        assertThat(result.findings().get(0).holds()).as("one acknowledged call per order: the answers look fine").isTrue();
        Finding effects = result.findings().get(1);
        assertThat(effects.holds()).isFalse();
        assertThat(effects.sentence()).isEqualTo("once per order (expected at most 1 effect per key, 1 for each acknowledged key,"
                + " actual 1 extra, 0 missing): 1 effect beyond the first for one order: 7 (2 times): an effect applied more than once"
                + " for one order, whatever the calls answered (1 acknowledged)");
        assertThat(result.findings().get(2).sentence()).endsWith(": charges = 2, paid orders = 1");
    }

    @RaceTest
    void aPaymentLockedBeforeItsCheckChargesOnce(Race race) {
        DataSource through = race.interleave(ds);
        Gateway gateway = new Gateway();
        race.setup(() -> {
            orders.reset(ORDER, 0);
            gateway.charges.clear();
        });
        // The fix: claim the order first (the conditional UPDATE), charge only when the claim won.
        race.attempt(inv -> {
            try (Connection c = through.getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE " + orders.table() + " SET balance = 1 WHERE id = ? AND balance = 0")) {
                ps.setInt(1, ORDER);
                if (ps.executeUpdate() == 0) return false;
                gateway.charge(ORDER);
                return true;
            }
        });
        race.expect(Invariant.once("order", inv -> ORDER, () -> gateway.charges));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.findings().getFirst().sentence()).endsWith(": 1 order took effect, each once (1 acknowledged, 0 unknown)");
    }
}

package dev.racelab.internal.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.FailReason;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DialectTest {
    @Test
    void postgresLostRaceSignalsAreRecognisedBySqlState() {
        assertThat(Dialect.POSTGRES.lostRace(new SQLException("x", "40001"))).isEqualTo(FailReason.SERIALIZATION);
        assertThat(Dialect.POSTGRES.lostRace(new SQLException("x", "40P01"))).isEqualTo(FailReason.DEADLOCK);
        assertThat(Dialect.POSTGRES.lostRace(new SQLException("x", "55P03"))).isEqualTo(FailReason.LOCK_TIMEOUT);
        assertThat(Dialect.POSTGRES.lostRace(new SQLException("x", "23505"))).isNull();
    }

    @Test
    void mysqlDeadlockIsToldApartFromSerializationByVendorCode() {
        assertThat(Dialect.MYSQL.lostRace(new SQLException("x", "40001", 1213))).isEqualTo(FailReason.DEADLOCK);
        assertThat(Dialect.MYSQL.lostRace(new SQLException("x", "HY000", 1205))).isEqualTo(FailReason.LOCK_TIMEOUT);
        assertThat(Dialect.MYSQL.lostRace(new SQLException("x", "40001", 0))).isEqualTo(FailReason.SERIALIZATION);
        assertThat(Dialect.MYSQL.lostRace(new SQLException("x", "23000", 1062))).isNull();
    }

    @Test
    void aWrappedSignalIsFoundInTheCauseChain() {
        SQLException outer = new SQLException("batch failed", "HY000", 0, new SQLException("x", "40P01"));
        assertThat(Dialect.POSTGRES.lostRaceInChain(outer)).isEqualTo(FailReason.DEADLOCK);
    }

    @Test
    void connectionLossIsClass08() {
        assertThat(Dialect.connectionLost(new SQLException("x", "08006"))).isTrue();
        assertThat(Dialect.connectionLost(new SQLException("x", "40001"))).isFalse();
        assertThat(Dialect.connectionLost(new SQLException("x"))).isFalse();
    }

    /**
     * MariaDB Connector/J in failover mode (a Galera lab's sequential URL) reconnects to the next
     * host and says so with 25S03: "Driver has reconnect connection after a communications failure
     * with 10.213.3.11 during a COMMIT statement". The old connection broke as the commit was under
     * way, so whether it landed is unknown (a Galera run counted such commits as refused, then
     * found their money moved).
     */
    @Test
    void aFailoverThatLostTheTransactionIsALostConnection() {
        assertThat(Dialect.connectionLost(new java.sql.SQLTransientConnectionException(
                "Driver has reconnect connection after a communications failure with 10.213.3.11 during a COMMIT statement", "25S03")))
                .isTrue();
    }

    @Test
    void aCommitAGaleraNodeRefusedAsItLeftThePrimaryComponentMayHaveLanded() {
        assertThat(Dialect.connectionLost(new java.sql.SQLException("Got error 6 \"No such device or address\" during COMMIT", "HY000", 1180)))
                .isTrue();
        assertThat(Dialect.connectionLost(new java.sql.SQLException("Deadlock found when trying to get lock", "40001", 1213))).isFalse();
    }

    @Test
    void lockNamesAreStableAndFitMysqlsLimit() {
        String name = "racelab:" + "x".repeat(300);
        assertThat(Dialect.mysqlLockName(name)).isEqualTo(Dialect.mysqlLockName(name)).hasSizeLessThanOrEqualTo(64);
        assertThat(Dialect.fnv1a64("a")).isNotEqualTo(Dialect.fnv1a64("b"));
        assertThat(Dialect.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
    }
}

package dev.racelab.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The repository one call at a time: what each method does and the errors it gives. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountRepositoryTest {
    HikariDataSource ds;
    AccountRepository accounts;

    @BeforeAll
    void open() throws Exception {
        ds = BankDatabase.pool(2);
        accounts = new AccountRepository(ds, BankDatabase.freshTable());
        accounts.create();
    }

    @AfterAll
    void close() throws Exception {
        if (accounts != null) accounts.drop();
        if (ds != null) ds.close();
    }

    @Test
    void eachDepositAddsItsAmount() throws Exception {
        accounts.reset(1, 100);
        accounts.depositReadThenWrite(1, 1);
        accounts.depositAtomic(1, 10);
        assertThat(accounts.depositOptimistic(1, 100)).isTrue();
        assertThat(accounts.balance(1)).isEqualTo(211);
    }

    @Test
    void aTransferMovesTheMoneyOrRefusesAnOverdraft() throws Exception {
        accounts.reset(1, 50);
        accounts.reset(2, 0);
        assertThat(accounts.transfer(1, 2, 30)).isEqualTo(TransferOutcome.TRANSFERRED);
        assertThat(accounts.transfer(1, 2, 30)).isEqualTo(TransferOutcome.INSUFFICIENT_FUNDS);
        assertThat(accounts.balance(1)).isEqualTo(20);
        assertThat(accounts.balance(2)).isEqualTo(30);
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        accounts.reset(1, 10);
        assertThatThrownBy(() -> accounts.depositAtomic(1, 0)).hasMessage("amount must be > 0, was 0");
        assertThatThrownBy(() -> accounts.transfer(1, 1, 5)).hasMessage("from and to must be different accounts, both were 1");
        assertThatThrownBy(() -> accounts.transfer(1, 404, 5)).isInstanceOf(NoSuchAccountException.class).hasMessage("no account with id 404");
        assertThatThrownBy(() -> accounts.depositOptimistic(404, 5)).isInstanceOf(NoSuchAccountException.class);
        assertThatThrownBy(() -> new AccountRepository(ds, "accounts; DROP TABLE x")).hasMessageContaining("table");
        assertThat(accounts.balance(1)).as("the failed transfer rolled back").isEqualTo(10);
    }
}

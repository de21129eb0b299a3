package dev.racelab.examples.shop;

import java.util.Map;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Deposits over HTTP: the read-modify-write one and the atomic one, for {@code racelab probe http}. */
@RestController
public class AccountController {
    /** A deposit's body: {@code {"amount": 10}}. */
    public record DepositRequest(long amount) {
    }

    private final AccountRepository accounts;
    private final DepositService deposits;

    public AccountController(AccountRepository accounts, DepositService deposits) {
        this.accounts = accounts;
        this.deposits = deposits;
    }

    @GetMapping("/accounts/{id}")
    public Map<String, Object> account(@PathVariable long id) {
        return Map.of("id", id, "balance", accounts.findById(id).orElseThrow().getBalance());
    }

    /** Puts the account back at 1000, creating it if needed. */
    @PostMapping("/accounts/{id}/reset")
    @Transactional
    public Map<String, Object> reset(@PathVariable long id) {
        accounts.save(new Account(id, 1000));
        return account(id);
    }

    @PostMapping("/accounts/{id}/deposit-read-modify-write")
    public void depositReadModifyWrite(@PathVariable long id, @RequestBody DepositRequest body) {
        deposits.depositReadModifyWrite(id, body.amount());
    }

    @PostMapping("/accounts/{id}/deposit-atomic")
    public void depositAtomic(@PathVariable long id, @RequestBody DepositRequest body) {
        deposits.depositAtomic(id, body.amount());
    }
}

package dev.arbor.command.account;

import org.axonframework.modelling.command.Repository;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The seat balance of an account as the current unit of work has it: the account it already loaded (after the
 * command's events), not a fresh copy.
 */
@Component
public class SeatBalances {

    private final Repository<Account> accounts;

    SeatBalances(@Lazy Repository<Account> accounts) {
        this.accounts = accounts;
    }

    public long of(String accountId) {
        return accounts.load(accountId).invoke(Account::seats);
    }
}

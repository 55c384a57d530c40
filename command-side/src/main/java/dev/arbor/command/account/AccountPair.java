package dev.arbor.command.account;

import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

import java.util.UUID;

/**
 * Two accounts loaded into one unit of work, always in id order, so that two commands on the same pair never wait
 * for each other's aggregate locks in opposite order.
 */
public final class AccountPair {

    private final UUID firstId;
    private final Aggregate<Account> first;
    private final Aggregate<Account> second;

    private AccountPair(UUID firstId, Aggregate<Account> first, Aggregate<Account> second) {
        this.firstId = firstId;
        this.first = first;
        this.second = second;
    }

    public static AccountPair load(Repository<Account> accounts, UUID one, UUID other) {
        UUID firstId = one.compareTo(other) < 0 ? one : other;
        UUID secondId = firstId.equals(one) ? other : one;
        Aggregate<Account> first = accounts.load(firstId.toString());
        return new AccountPair(firstId, first, accounts.load(secondId.toString()));
    }

    public Aggregate<Account> of(UUID accountId) {
        return accountId.equals(firstId) ? first : second;
    }
}

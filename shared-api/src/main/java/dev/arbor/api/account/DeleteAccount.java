package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * Soft-deletes a child account; its seats return to the parent. With {@code deactivateUsers}, its active users are
 * deactivated in the same command, as {@code DeactivateUser} would each; without, an account with active users is
 * not deleted.
 */
public record DeleteAccount(@TargetAggregateIdentifier UUID accountId, boolean deactivateUsers) {

    /** Deletes an account that has no active users. */
    public DeleteAccount(UUID accountId) {
        this(accountId, false);
    }
}

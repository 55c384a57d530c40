package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * Renames or redescribes an account; a null field is left as it is, an empty description, externalId or label
 * clears it. {@code enabled} false suspends the account and true lifts its suspension, exactly as
 * {@link SuspendAccount} and {@link UnsuspendAccount} do (null leaves it as it is).
 */
public record UpdateAccountDetails(@TargetAggregateIdentifier UUID accountId, String name, String description,
                                   String externalId, String label, Boolean enabled) {

    /** Name, description and external id alone; the label and the suspension left as they are. */
    public UpdateAccountDetails(UUID accountId, String name, String description, String externalId) {
        this(accountId, name, description, externalId, null, null);
    }
}

package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Renames or redescribes an account; a null field is left as it is, an empty description or externalId clears it. */
public record UpdateAccountDetails(@TargetAggregateIdentifier UUID accountId, String name, String description, String externalId) {
}

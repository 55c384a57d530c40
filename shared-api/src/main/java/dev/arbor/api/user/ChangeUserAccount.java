package dev.arbor.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Moves a user to another account of the same organization. */
public record ChangeUserAccount(@TargetAggregateIdentifier UUID userId, UUID accountId) {
}

package dev.arbor.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Deactivates a user; an account with active users cannot be deleted. */
public record DeactivateUser(@TargetAggregateIdentifier UUID userId) {
}

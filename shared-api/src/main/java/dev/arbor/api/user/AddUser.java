package dev.arbor.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Adds a user to an account; the email is unique over all users, case-insensitively. */
public record AddUser(@TargetAggregateIdentifier UUID userId, UUID accountId, String email, String name) {
}

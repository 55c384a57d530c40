package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Moves an account, with its subtree, seats, users and devices, under another account of the same tree. */
public record MoveAccount(@TargetAggregateIdentifier UUID accountId, UUID newParentId) {
}

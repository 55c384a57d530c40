package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Suspends an account and, without events of their own, its whole subtree. */
public record SuspendAccount(@TargetAggregateIdentifier UUID accountId, String reason) {
}

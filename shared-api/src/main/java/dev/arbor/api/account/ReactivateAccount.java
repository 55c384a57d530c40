package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Brings a deleted account back, optionally with {@code seats} taken from its parent. */
public record ReactivateAccount(@TargetAggregateIdentifier UUID accountId, long seats) {
}

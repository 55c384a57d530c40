package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Lifts an account's own suspension. */
public record UnsuspendAccount(@TargetAggregateIdentifier UUID accountId) {
}

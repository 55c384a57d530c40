package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Soft-deletes a child account; its seats return to the parent. */
public record DeleteAccount(@TargetAggregateIdentifier UUID accountId) {
}

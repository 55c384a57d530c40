package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Sets a child account's total seats, moving the difference from or to its parent. */
public record SetSeats(@TargetAggregateIdentifier UUID accountId, long seats) {
}

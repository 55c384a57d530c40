package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Moves {@code seats} from {@code accountId} to {@code toAccountId}, which must be its parent or a direct child. */
public record MoveSeats(@TargetAggregateIdentifier UUID accountId, UUID toAccountId, long seats) {
}

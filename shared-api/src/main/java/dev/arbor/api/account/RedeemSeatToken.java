package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Adds a seat token's seats to an account; a token is redeemed at most once. */
public record RedeemSeatToken(String tokenId, UUID accountId) {
}

package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates a seat token worth {@code seats}; {@code tokenId} is the SHA-256 of the secret token, never the token itself. */
public record IssueSeatToken(String tokenId, long seats) {
}

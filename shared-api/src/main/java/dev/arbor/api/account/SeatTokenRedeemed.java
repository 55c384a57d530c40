package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The seat token was redeemed by {@code accountId}. */
@Revision("1")
public record SeatTokenRedeemed(String tokenId, UUID accountId) {
}

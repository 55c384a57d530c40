package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

/** A seat token worth {@code seats} exists; {@code tokenId} is the SHA-256 of the secret. */
@Revision("1")
public record SeatTokenIssued(String tokenId, long seats) {
}

package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The platform added {@code seats} to the tree through the seat token {@code tokenId}. */
@Revision("1")
public record SeatsGranted(UUID accountId, UUID rootId, String tokenId, long seats) implements TreeEvent {
}

package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The account was soft-deleted; its {@code seatsReturned} went back to {@code parentId}. */
@Revision("1")
public record AccountDeleted(UUID accountId, UUID rootId, UUID parentId, long seatsReturned) implements TreeEvent {
}

package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The account's own suspension was lifted. */
@Revision("1")
public record AccountUnsuspended(UUID accountId, UUID rootId) implements TreeEvent {
}

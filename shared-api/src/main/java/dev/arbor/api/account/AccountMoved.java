package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The account, with its whole subtree, now sits under {@code toParentId}. */
@Revision("1")
public record AccountMoved(UUID accountId, UUID rootId, UUID fromParentId, UUID toParentId) implements TreeEvent {
}

package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The account, and with it its subtree, is suspended. */
@Revision("1")
public record AccountSuspended(UUID accountId, UUID rootId, String reason) implements TreeEvent {
}

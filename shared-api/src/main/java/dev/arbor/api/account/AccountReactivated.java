package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** A deleted account is active again, holding {@code seats} taken from its parent. */
@Revision("1")
public record AccountReactivated(UUID accountId, UUID rootId, UUID parentId, long seats) implements TreeEvent {
}

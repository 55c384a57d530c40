package dev.arbor.api.user;

import dev.arbor.api.account.TreeEvent;
import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The user moved from {@code fromAccountId} to {@code toAccountId}. */
@Revision("1")
public record UserAccountChanged(UUID userId, UUID rootId, UUID fromAccountId, UUID toAccountId) implements TreeEvent {
}

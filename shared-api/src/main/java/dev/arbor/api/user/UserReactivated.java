package dev.arbor.api.user;

import dev.arbor.api.account.TreeEvent;
import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The user is active again. */
@Revision("1")
public record UserReactivated(UUID userId, UUID rootId, UUID accountId) implements TreeEvent {
}

package dev.arbor.api.user;

import dev.arbor.api.account.TreeEvent;
import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The user was deactivated. */
@Revision("1")
public record UserDeactivated(UUID userId, UUID rootId, UUID accountId) implements TreeEvent {
}

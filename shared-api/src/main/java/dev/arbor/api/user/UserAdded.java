package dev.arbor.api.user;

import dev.arbor.api.account.TreeEvent;
import org.axonframework.serialization.Revision;

import java.util.UUID;

/** A user joined {@code accountId}; {@code email} is stored as given and compared case-insensitively. */
@Revision("1")
public record UserAdded(UUID userId, UUID rootId, UUID accountId, String email, String name) implements TreeEvent {
}

package dev.arbor.api.user;

import dev.arbor.api.account.TreeEvent;
import org.axonframework.serialization.Revision;

import java.util.Set;
import java.util.UUID;

/** A user's permissions changed: what was {@code granted} and {@code revoked}, and all it has now. */
@Revision("1")
public record PermissionsChanged(UUID userId, UUID rootId, UUID accountId, Set<Permission> granted,
                                 Set<Permission> revoked, Set<Permission> permissions) implements TreeEvent {
}

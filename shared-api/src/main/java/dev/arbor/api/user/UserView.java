package dev.arbor.api.user;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A user as the query side answers it, with the permissions it holds in its account's subtree. */
public record UserView(UUID id, String email, String name, UUID accountId, UserStatus status, Instant createdAt,
                       Set<Permission> permissions) {
}

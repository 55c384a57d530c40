package dev.arbor.api.user;

import java.time.Instant;
import java.util.UUID;

/** A user as the query side answers it. */
public record UserView(UUID id, String email, String name, UUID accountId, UserStatus status, Instant createdAt) {
}

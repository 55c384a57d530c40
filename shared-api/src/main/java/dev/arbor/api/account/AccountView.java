package dev.arbor.api.account;

import java.time.Instant;
import java.util.UUID;

/** An account as the query side answers it. */
public record AccountView(UUID id,
                          String name,
                          String description,
                          String externalId,
                          UUID parentId,
                          UUID rootId,
                          int depth,
                          AccountStatus status,
                          Seats seats,
                          Instant createdAt,
                          Instant updatedAt,
                          long version) {

    /** {@code free = total - used}; {@code used} counts the devices registered in the account. */
    public record Seats(long total, long used, long free) {
    }
}

package dev.arbor.api.account;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An account as the query side answers it. {@code path} lists the ancestors, root first. {@code effectiveStatus} is
 * DELETED for a deleted account, SUSPENDED when it or an ancestor is suspended ({@code suspendedBy} names the
 * topmost such account), else ACTIVE. Counts cover live accounts; {@code deviceCount} equals {@code seats.used}.
 * {@code label} is null for an account without one.
 * {@code usage} is the platform's last report for the account, {@code subtreeUsage} each counter summed over the
 * account and its live descendants, and {@code overLimit} names the counters of {@code usage} above the account's limit
 * of the same name, in name order.
 */
public record AccountView(UUID id,
                          String name,
                          String description,
                          String externalId,
                          String label,
                          UUID parentId,
                          UUID rootId,
                          int depth,
                          List<UUID> path,
                          AccountStatus status,
                          AccountStatus effectiveStatus,
                          UUID suspendedBy,
                          Seats seats,
                          Long parentFreeSeats,
                          Map<String, Integer> limits,
                          Map<String, Integer> usage,
                          Map<String, Long> subtreeUsage,
                          List<String> overLimit,
                          AccountConfiguration config,
                          int childCount,
                          int descendantCount,
                          int userCount,
                          long deviceCount,
                          Instant createdAt,
                          Instant updatedAt,
                          long version) {

    /** {@code free = total - used}; {@code used} counts the devices registered in the account. */
    public record Seats(long total, long used, long free) {
    }
}

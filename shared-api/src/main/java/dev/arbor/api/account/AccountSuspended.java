package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * The account, and with it its subtree, is suspended. {@code byAdmin}: the platform admin suspended it, and only the
 * admin lifts it; an event written before this field existed reads as false.
 */
@Revision("1")
public record AccountSuspended(UUID accountId, UUID rootId, String reason, boolean byAdmin) implements TreeEvent {

    /** A suspension by a user of an account above. */
    public AccountSuspended(UUID accountId, UUID rootId, String reason) {
        this(accountId, rootId, reason, false);
    }
}

package dev.arbor.command.account;

import java.util.Optional;
import java.util.UUID;

/**
 * Where each account sits in its tree, as the command side knows it without loading (and so locking) aggregates:
 * what rules about ancestors and descendants need. Written from the account events in the same transaction that
 * appends them.
 */
public interface AccountDirectory {

    Optional<Node> find(UUID accountId);

    /**
     * An account's place: {@code parentId} is null for a root; {@code depth} is 0 for a root;
     * {@code suspended} is true when the account or any ancestor is suspended.
     */
    record Node(UUID id, UUID rootId, UUID parentId, int depth, boolean suspended) {
    }
}

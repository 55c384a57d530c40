package dev.arbor.command.account;

import java.util.Optional;
import java.util.UUID;

/**
 * Where each account sits in its tree, as the command side knows it without loading (and so locking) the
 * aggregate. Written from the account events in the same transaction that appends them.
 */
public interface AccountDirectory {

    Optional<Node> find(UUID accountId);

    /** An account's place: {@code parentId} is null for a root. */
    record Node(UUID id, UUID rootId, UUID parentId) {
    }
}

package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The old parent's side of a move: the child and its seats left, along with its subtree. */
@Revision("1")
public record ChildAccountDetached(UUID accountId, UUID rootId, UUID childId) implements TreeEvent {
}

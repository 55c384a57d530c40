package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The parent's side of a child's creation: it gained the child and handed it {@code seats} of its own. */
@Revision("1")
public record ChildAccountAdded(UUID accountId, UUID rootId, UUID childId, long seats) implements TreeEvent {
}

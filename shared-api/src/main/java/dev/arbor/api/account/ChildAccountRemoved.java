package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The parent's side of a child's deletion: the child's seats came back. */
@Revision("1")
public record ChildAccountRemoved(UUID accountId, UUID rootId, UUID childId, long seatsReturned) implements TreeEvent {
}

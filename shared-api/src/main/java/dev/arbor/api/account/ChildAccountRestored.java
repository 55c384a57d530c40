package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The parent's side of a child's reactivation: it handed the child {@code seats}. */
@Revision("1")
public record ChildAccountRestored(UUID accountId, UUID rootId, UUID childId, long seats) implements TreeEvent {
}

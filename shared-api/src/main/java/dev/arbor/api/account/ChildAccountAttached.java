package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.Map;
import java.util.UUID;

/** The new parent's side of a move: it gained the child, which holds {@code limits}. */
@Revision("1")
public record ChildAccountAttached(UUID accountId, UUID rootId, UUID childId, Map<String, Integer> limits)
        implements TreeEvent {
}

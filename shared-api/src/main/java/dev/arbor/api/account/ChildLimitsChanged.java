package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.Map;
import java.util.UUID;

/** The parent's record of a child's new limits, so it can keep its own limits above them. */
@Revision("1")
public record ChildLimitsChanged(UUID accountId, UUID rootId, UUID childId, Map<String, Integer> limits) implements TreeEvent {
}

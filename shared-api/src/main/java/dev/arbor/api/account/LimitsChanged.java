package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.Map;
import java.util.UUID;

/** The account's limits are now {@code limits} (a full replacement). */
@Revision("1")
public record LimitsChanged(UUID accountId, UUID rootId, Map<String, Integer> limits) implements TreeEvent {
}

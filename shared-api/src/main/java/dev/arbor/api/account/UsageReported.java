package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.Map;
import java.util.UUID;

/** The account's usage counters are now {@code usage} (a full replacement: a counter left out is no longer used). */
@Revision("1")
public record UsageReported(UUID accountId, UUID rootId, Map<String, Integer> usage) implements TreeEvent {
}

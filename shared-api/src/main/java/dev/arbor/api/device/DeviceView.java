package dev.arbor.api.device;

import java.time.Instant;
import java.util.UUID;

/** A registered device as the query side answers it. */
public record DeviceView(UUID id, String serial, String name, UUID accountId, Instant registeredAt) {
}
